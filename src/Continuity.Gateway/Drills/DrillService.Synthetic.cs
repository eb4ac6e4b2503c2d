using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Continuity.Gateway.Drills;

/// <summary>The channels a drill checks: mail through the MX, sign-in at the sovereign upstream.</summary>
internal sealed partial class DrillService
{
    /// <summary>Non-live: a probe message through this node's MX, routed to the sovereign mailbox by its drill sender, found there and removed.</summary>
    private async Task ProbeMailAsync(DrillRun run, TenantOptions tenant, string user, string sovereign, bool ready, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        if (!ready)
        {
            await run.AddAsync(new DrillStep(user, "mail", "probe", CheckStatus.Skipped, "not ready (see the failed readiness checks): no probe sent", started, 0)).ConfigureAwait(false);
            return;
        }

        var messageId = NewMessageId(run.Id, "probe", tenant);
        var sender = probes.Issue(user, sovereign, tenant.Domains[0]);
        try
        {
            if (await SendAsync(sender, user, messageId, $"Continuity drill {run.Id}: probe (removed by the drill)", cancellationToken).ConfigureAwait(false) is { } problem)
            {
                await run.AddAsync(new DrillStep(user, "mail", "probe", CheckStatus.Fail, problem, started, time.GetElapsedTime(clock).TotalMilliseconds)).ConfigureAwait(false);
                return;
            }

            var last = "";
            var arrived = await PollAsync(async () =>
            {
                var (count, message) = await mailboxes.CountAsync(run.Report.Tenant, sovereign, user, messageId, cancellationToken).ConfigureAwait(false);
                last = message;
                return count > 0;
            }, cancellationToken).ConfigureAwait(false);
            var ms = time.GetElapsedTime(clock).TotalMilliseconds;
            if (!arrived)
            {
                await run.AddAsync(new DrillStep(user, "mail", "probe", CheckStatus.Fail,
                    $"probe message through the MX did not reach the {sovereign} mailbox within {ChannelDeadline.TotalSeconds:0} s ({last}; see 'continuity queue list --recipient {user}')", started, ms)).ConfigureAwait(false);
                return;
            }

            var (removed, removal) = await mailboxes.RemoveAsync(run.Report.Tenant, sovereign, user, messageId, cancellationToken).ConfigureAwait(false);
            await run.AddAsync(new DrillStep(user, "mail", "probe", removed is null ? CheckStatus.Warn : CheckStatus.Pass,
                $"probe message through the MX reached the {sovereign} mailbox in {Seconds(ms)}" + (removed is null ? $"; removing it failed: {removal}" : "; removed"), started, ms)).ConfigureAwait(false);
        }
        finally
        {
            probes.Forget(sender);
        }
    }

    /// <summary>Non-live: a sign-in at the sovereign upstream, for test accounts only (a real user's sign-in is theirs to make).</summary>
    private async Task TestSignInAsync(DrillRun run, TenantOptions tenant, string user, string sovereign, CancellationToken cancellationToken)
    {
        if (!tenant.Failover.DrillUsers.Contains(user, StringComparer.OrdinalIgnoreCase))
        {
            await run.AddAsync(new DrillStep(user, "identity", "sign-in", CheckStatus.Skipped,
                "not a test account (Failover:DrillUsers): no sign-in at the sovereign upstream", time.GetUtcNow(), 0)).ConfigureAwait(false);
            return;
        }

        await run.AddAsync(await SignInStepAsync(run.Report.Tenant, tenant, user, sovereign, time.GetUtcNow(), time.GetTimestamp(), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs the user in at the sovereign upstream and maps the answer as the gateway's login would: to the account the
    /// user already has (the <c>sub</c> relying parties know), through an existing link or a link the verified address
    /// would make. Timed from <paramref name="clock"/>.
    /// </summary>
    private async Task<DrillStep> SignInStepAsync(string tenantId, TenantOptions tenant, string user, string sovereign, DateTimeOffset started, long clock, CancellationToken cancellationToken)
    {
        DrillStep Step(CheckStatus status, string message) =>
            new(user, "identity", "sign-in", status, message, started, time.GetElapsedTime(clock).TotalMilliseconds);

        if (tenant.Providers[sovereign].Identity is not { } upstream)
        {
            return Step(CheckStatus.Fail, $"{sovereign} has no identity upstream (Providers:{sovereign}:Identity)");
        }

        var result = await signIn.SignInAsync(tenantId, sovereign, upstream, user, cancellationToken).ConfigureAwait(false);
        if (!result.Signed || result.Subject is null)
        {
            return Step(result.Interactive ? CheckStatus.Warn : CheckStatus.Fail, $"sign-in at {sovereign} as {user}: {(result.Signed ? "no subject in the ID token" : result.Message)}");
        }

        var account = await accounts.FindByEmailAsync(tenantId, user, cancellationToken).ConfigureAwait(false);
        var linked = await accounts.FindByLinkAsync(tenantId, sovereign, upstream.Authority, result.Subject, cancellationToken).ConfigureAwait(false);
        var ms = Seconds(time.GetElapsedTime(clock).TotalMilliseconds);
        if (linked is not null)
        {
            return account is null || linked.Id == account.Id
                ? Step(CheckStatus.Pass, $"signed in at {sovereign} as {user} in {ms}; linked to account {linked.Id}: the same sub relying parties know")
                : Step(CheckStatus.Fail, $"signed in at {sovereign}, but that upstream subject is linked to account {linked.Id} ({linked.Email}), not {user}'s {account.Id}: relying parties would see another sub");
        }

        if (result.Address is { } address && string.Equals(address, user, StringComparison.OrdinalIgnoreCase))
        {
            return Step(CheckStatus.Pass, account is null
                ? $"signed in at {sovereign} as {user} in {ms}; not linked yet, the first sign-in makes the account from the verified address"
                : $"signed in at {sovereign} as {user} in {ms}; not linked yet, the verified address links it to account {account.Id} at first sign-in: the same sub");
        }

        return Step(CheckStatus.Fail, $"signed in at {sovereign}, but the user is not linked there and the upstream offers {(result.Address is null ? "no verified address" : "the address " + result.Address)}: the gateway would refuse the login (import the link: continuity accounts import)");
    }

    /// <summary>One message from the drill through this node's MX; null when accepted, else why not.</summary>
    private async Task<string?> SendAsync(string from, string to, string messageId, string subject, CancellationToken cancellationToken)
    {
        if (Listener("mx", "smtp") is not { } mx)
        {
            return "this node runs no plain SMTP MX listener (Listeners:Smtp): nothing to send the drill's message through";
        }

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Continuity drill", from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId;
        message.Date = time.GetUtcNow();
        message.Body = new TextPart("plain") { Text = "A continuity drill checks that mail reaches this mailbox. The drill removes this message.\r\n" };
        try
        {
            using var smtp = new SmtpClient { Timeout = 20_000 };
            await smtp.ConnectAsync(mx.Address.ToString(), mx.Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            await smtp.SendAsync(message, MailboxAddress.Parse(from), [MailboxAddress.Parse(to)], cancellationToken).ConfigureAwait(false);
            await smtp.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException)
        {
            return $"the MX at {mx} refused the drill's message: {ex.Message}";
        }
    }

    private static string NewMessageId(string drill, string kind, TenantOptions tenant) =>
        $"continuity-drill.{drill}.{kind}.{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}@{tenant.Domains[0]}";
}
