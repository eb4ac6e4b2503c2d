namespace Continuity.Gateway.Drills;

/// <summary>The live round trip: route to the sovereign side, time each channel, route back, count duplicates, clean up.</summary>
internal sealed partial class DrillService
{
    private async Task LiveAsync(DrillRun run, AdminActor actor, TenantOptions tenant, string user, string sovereign, bool ready, CancellationToken cancellationToken)
    {
        var tenantId = run.Report.Tenant;
        var home = routes.Resolve(tenantId, user) ?? tenant.DefaultProvider;
        DrillStep Step(string channel, string name, CheckStatus status, string message, DateTimeOffset started, double ms) => new(user, channel, name, status, message, started, ms);
        if (!ready)
        {
            await run.AddAsync(Step("route", "to-sovereign", CheckStatus.Skipped, "not ready (see the failed readiness checks): the user was not moved", time.GetUtcNow(), 0)).ConfigureAwait(false);
            return;
        }

        if (string.Equals(home, sovereign, StringComparison.OrdinalIgnoreCase))
        {
            await run.AddAsync(Step("route", "to-sovereign", CheckStatus.Fail, $"already routed to {sovereign}: a live drill starts from the other side", time.GetUtcNow(), 0)).ConfigureAwait(false);
            return;
        }

        var messageId = NewMessageId(run.Id, "live", tenant);
        NewAppPassword? temporary = null;
        DrillImapSession? session = null;
        var routed = false;
        try
        {
            // A mail client of the user, through the gateway, on the home side.
            var started = time.GetUtcNow();
            var clock = time.GetTimestamp();
            var imapProxy = Listener("imap", "imap");
            try
            {
                temporary = await passwords.CreateAsync(user, $"continuity drill {run.Id} (removed by the drill)", cancellationToken: cancellationToken).ConfigureAwait(false);
                session = imapProxy is null ? null : await DrillImapSession.OpenAsync(imapProxy, user, temporary.Secret, cancellationToken).ConfigureAwait(false);
                await run.AddAsync(session is null
                    ? Step("imap", "session-before", CheckStatus.Fail, "this node runs no plain IMAP listener (Listeners:Imap): no mail client session to move", started, 0)
                    : Step("imap", "session-before", CheckStatus.Pass, $"IMAP session through the gateway ({imapProxy}) on {home}: LOGIN and SELECT INBOX ok ({session.Exists} messages)", started, time.GetElapsedTime(clock).TotalMilliseconds)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await run.AddAsync(Step("imap", "session-before", CheckStatus.Fail, $"IMAP session through the gateway ({imapProxy}) on {home}: {ex.Message}", started, time.GetElapsedTime(clock).TotalMilliseconds)).ConfigureAwait(false);
            }

            // The failover.
            started = time.GetUtcNow();
            clock = time.GetTimestamp();
            var change = await failover.DrillChangeAsync(actor, tenantId, user, sovereign, run.Id, cancellationToken).ConfigureAwait(false);
            routed = true;
            await snapshots.RefreshAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            await run.AddAsync(Step("route", "to-sovereign", CheckStatus.Pass,
                $"routed {change.Before} → {change.After} (route version {change.Version}, audit #{change.AuditSeq})", started, time.GetElapsedTime(clock).TotalMilliseconds)).ConfigureAwait(false);

            // Every channel at once, each timed from the route change.
            var mail = MailDeliveredAsync(tenantId, user, home, sovereign, messageId, started, clock, cancellationToken);
            var identity = SignInStepAsync(tenantId, tenant, user, sovereign, started, clock, cancellationToken);
            var imap = ImapMovedAsync(session, imapProxy, user, temporary?.Secret, sovereign, messageId, mail, started, clock, cancellationToken);
            await Task.WhenAll(mail, identity, imap).ConfigureAwait(false);
            await run.AddAsync(await identity.ConfigureAwait(false)).ConfigureAwait(false);
            await run.AddAsync(await mail.ConfigureAwait(false)).ConfigureAwait(false);
            await run.AddAsync(await imap.ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (FailoverException ex)
        {
            await run.AddAsync(Step("route", "to-sovereign", CheckStatus.Fail, ex.Message, time.GetUtcNow(), 0)).ConfigureAwait(false);
        }
        finally
        {
            session?.Dispose();
            if (routed)
            {
                await RouteBackAsync(run, actor, user, home).ConfigureAwait(false);
                await DuplicatesAsync(run, user, home, sovereign, messageId, cancellationToken).ConfigureAwait(false);
            }

            await CleanUpAsync(run, user, home, sovereign, messageId, temporary, routed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A message from outside through the MX reaches the sovereign mailbox, and not the home one.</summary>
    private async Task<DrillStep> MailDeliveredAsync(string tenantId, string user, string home, string sovereign, string messageId, DateTimeOffset started, long clock, CancellationToken cancellationToken)
    {
        DrillStep Step(CheckStatus status, string message) => new(user, "mail", "delivered", status, message, started, time.GetElapsedTime(clock).TotalMilliseconds);
        if (await SendAsync($"continuity-drill@{tenants.Find(tenantId)!.Domains[0]}", user, messageId, "Continuity drill: live message (removed by the drill)", cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return Step(CheckStatus.Fail, problem);
        }

        var last = "";
        var arrived = await PollAsync(async () =>
        {
            var (count, message) = await mailboxes.CountAsync(tenantId, sovereign, user, messageId, cancellationToken).ConfigureAwait(false);
            last = message;
            return count > 0;
        }, cancellationToken).ConfigureAwait(false);
        var ms = time.GetElapsedTime(clock).TotalMilliseconds;
        if (!arrived)
        {
            return Step(CheckStatus.Fail, $"a message through the MX did not reach the {sovereign} mailbox within {ChannelDeadline.TotalSeconds:0} s ({last})");
        }

        var (atHome, _) = await mailboxes.CountAsync(tenantId, home, user, messageId, cancellationToken).ConfigureAwait(false);
        return atHome > 0
            ? Step(CheckStatus.Fail, $"the message reached the {sovereign} mailbox in {Seconds(ms)}, but the {home} mailbox got it too")
            : new DrillStep(user, "mail", "delivered", CheckStatus.Pass, $"a message through the MX reached the {sovereign} mailbox in {Seconds(ms)} (none at {home})", started, ms);
    }

    /// <summary>The open session is closed by the route change (BYE), and a new login lands on the sovereign mailbox (it holds the drill's message).</summary>
    private async Task<DrillStep> ImapMovedAsync(
        DrillImapSession? session, System.Net.IPEndPoint? proxy, string user, string? password, string sovereign, string messageId, Task<DrillStep> mail,
        DateTimeOffset started, long clock, CancellationToken cancellationToken)
    {
        DrillStep Step(CheckStatus status, string message) => new(user, "imap", "session-moved", status, message, started, time.GetElapsedTime(clock).TotalMilliseconds);
        if (session is null || proxy is null || password is null)
        {
            return Step(CheckStatus.Fail, "no IMAP session was open before the route change (see session-before)");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ChannelDeadline);
        bool bye;
        try
        {
            bye = await session.WaitClosedAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Step(CheckStatus.Fail, $"the gateway kept the IMAP session on the old side open for {ChannelDeadline.TotalSeconds:0} s after the route change");
        }

        var closedAfter = time.GetElapsedTime(clock).TotalMilliseconds;
        try
        {
            using var again = await DrillImapSession.OpenAsync(proxy, user, password, cancellationToken).ConfigureAwait(false);
            var ms = time.GetElapsedTime(clock).TotalMilliseconds;
            // The session may have been opened before the message arrived: a mailbox shows new mail at the next command,
            // so the search is repeated (within the channel's deadline) rather than judged on the view of the SELECT.
            var there = (await mail.ConfigureAwait(false)).Status == CheckStatus.Pass
                && await PollAsync(() => again.HoldsAsync(messageId, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new DrillStep(user, "imap", "session-moved", there ? CheckStatus.Pass : CheckStatus.Fail,
                $"{(bye ? "* BYE" : "closed without BYE")} after {Seconds(closedAfter)}; new LOGIN and SELECT through the gateway in {Seconds(ms)}"
                + (there ? $", on the {sovereign} mailbox (it holds the drill's message)" : $", but the session does not show the drill's message: not the {sovereign} mailbox?"), started, ms);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Step(CheckStatus.Fail, $"closed after {Seconds(closedAfter)}, but a new IMAP login through the gateway failed: {ex.Message}");
        }
    }

    private async Task RouteBackAsync(DrillRun run, AdminActor actor, string user, string home)
    {
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        try
        {
            var back = await failover.DrillChangeAsync(actor, run.Report.Tenant, user, home, run.Id).ConfigureAwait(false);
            await snapshots.RefreshAsync().ConfigureAwait(false);
            await run.AddAsync(new DrillStep(user, "route", "back", CheckStatus.Pass, $"routed {back.Before} → {back.After} (route version {back.Version}, audit #{back.AuditSeq})",
                started, time.GetElapsedTime(clock).TotalMilliseconds)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FailoverException or Core.State.StateUnavailableException)
        {
            Log.RouteBackFailed(logger, run.Id, user, ex);
            await run.AddAsync(new DrillStep(user, "route", "back", CheckStatus.Fail,
                $"could not route the user back to {home} ({ex.Message}): the user is still on the sovereign side; move them with 'continuity route set --user {user} --to {home}'",
                started, time.GetElapsedTime(clock).TotalMilliseconds)).ConfigureAwait(false);
        }
    }

    /// <summary>After the failback sync: no Message-ID twice in either INBOX, the drill's message at most once on each side.</summary>
    private async Task DuplicatesAsync(DrillRun run, string user, string home, string sovereign, string messageId, CancellationToken cancellationToken)
    {
        var tenantId = run.Report.Tenant;
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        Mail.Sync.UserSyncState? state = null;
        await PollAsync(async () => (state = await sync.SyncNowAsync(tenantId, user, cancellationToken).ConfigureAwait(false)) is not null, cancellationToken).ConfigureAwait(false);
        var synced = state is null ? "; no failback sync run (another node held the user)" : state.LastError is { } error ? $"; the sync run failed: {error}" : $"; sync run ({state.LastDirection}) copied {state.MessagesCopied}";

        var problems = new List<string>();
        var seen = new List<string>();
        foreach (var side in new[] { home, sovereign })
        {
            var (duplicates, total, message) = await mailboxes.DuplicatesAsync(tenantId, side, user, cancellationToken).ConfigureAwait(false);
            var (drill, _) = await mailboxes.CountAsync(tenantId, side, user, messageId, cancellationToken).ConfigureAwait(false);
            if (duplicates is null)
            {
                problems.Add(message);
                continue;
            }

            seen.Add($"{side}: {total} messages, the drill's {drill ?? 0}×");
            if (duplicates.Count > 0)
            {
                problems.Add($"{side} INBOX holds {duplicates.Count} Message-ID(s) more than once: {string.Join(", ", duplicates.Take(3))}");
            }

            if (drill > 1)
            {
                problems.Add($"{side} INBOX holds the drill's message {drill} times");
            }
        }

        await run.AddAsync(new DrillStep(user, "duplicates", "after-failback", problems.Count == 0 ? CheckStatus.Pass : CheckStatus.Fail,
            (problems.Count == 0 ? "no message twice on either side (" + string.Join("; ", seen) + ")" : string.Join("; ", problems)) + synced,
            started, time.GetElapsedTime(clock).TotalMilliseconds)).ConfigureAwait(false);
    }

    /// <summary>Removes what the drill made: its message on both sides, its temporary app password.</summary>
    private async Task CleanUpAsync(DrillRun run, string user, string home, string sovereign, string messageId, NewAppPassword? temporary, bool routed, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        var done = new List<string>();
        var problems = new List<string>();
        if (routed)
        {
            // The home side first: a forward sync run in between then finds nothing to copy back.
            foreach (var side in new[] { home, sovereign })
            {
                var (removed, message) = await mailboxes.RemoveAsync(run.Report.Tenant, side, user, messageId, cancellationToken).ConfigureAwait(false);
                if (removed is null)
                {
                    problems.Add(message);
                }
                else
                {
                    done.Add($"{removed} message(s) at {side}");
                }
            }
        }

        if (temporary is not null)
        {
            if (await passwords.RevokeAsync(user, temporary.Info.Id, CancellationToken.None).ConfigureAwait(false))
            {
                done.Add("the temporary app password");
            }
            else
            {
                problems.Add($"the temporary app password {temporary.Info.Id} was already gone");
            }
        }

        await run.AddAsync(new DrillStep(user, "cleanup", "removed", problems.Count == 0 ? CheckStatus.Pass : CheckStatus.Warn,
            (done.Count == 0 ? "nothing to remove" : "removed " + string.Join(", ", done)) + (problems.Count == 0 ? "" : "; " + string.Join("; ", problems)),
            started, time.GetElapsedTime(clock).TotalMilliseconds)).ConfigureAwait(false);
    }
}
