using Continuity.Mail.Bounces;
using Continuity.Core.Tenants;

namespace Continuity.Mail.Delivery;

/// <summary>
/// One delivery pass over one message: runs what <see cref="DeliveryPlanner"/> says is due, one backend
/// transaction per provider, and journals the outcome before acting on it.
/// <para>
/// Exactly once where the backend can be searched. Per transaction: after the backend's 354 and before the body, an
/// attempt line <c>P</c> per accepted recipient, fsync'd (the final dot only follows a durable attempt); after the
/// replies, the outcome lines of every recipient of the transaction with one fsync (group commit). A recipient whose
/// attempt has no outcome (a crash between the dot and that fsync, or a connection lost after the dot) is not
/// delivered blindly again: <see cref="DeliveredCopyFinder"/> first asks the attempt's provider over IMAP whether a
/// copy with the spool id is there. Found → <c>D</c>; not found → delivered; backend unreachable → asked again at
/// the next retry. A provider with no IMAP login configured cannot be asked: there the recipient is delivered again
/// (at-least-once, as with every MTA).
/// </para>
/// </summary>
internal sealed partial class MessageDelivery(
    DeliveryPlanner planner,
    IBackendTransport transport,
    DeliveredCopyFinder finder,
    TenantDirectory tenants,
    DisabledMailboxMatcher disabled,
    ICutoffSignals signals,
    BounceSpooler bounces,
    SpoolStore spool,
    SpoolQueue queue,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<MessageDelivery> logger,
    Core.Metrics.ContinuityMetrics metrics)
{
    public async Task RunAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (due, _) = planner.Plan(message, time.GetUtcNow());
        foreach (var r in message.Recipients)
        {
            r.RetryNow = false;
        }

        var steps = due.Where(a => a.Step != PlannedStep.Deliver).ToList();
        SpoolStore.Append(message, [.. steps.Select(a => a.Step == PlannedStep.Release
            ? SpoolJournal.Released(a.Recipient)
            : SpoolJournal.Delivered(a.Recipient, TargetKind.Main, a.Provider))]);
        foreach (var action in steps)
        {
            var r = message.Recipients[action.Recipient];
            r.Main.AttemptOpen = false;
            if (action.Step == PlannedStep.Release)
            {
                r.Main.Status = TargetStatus.Pending;
                r.Main.Provider = null;
                r.Main.NextAttempt = DateTimeOffset.MinValue;
                r.Main.Attempts = 0;
                Log.Released(logger, message.Id, r.Recipient.DeliverTo, action.Provider);
            }
            else
            {
                r.Main.Status = TargetStatus.Delivered;
                r.Main.Provider = action.Provider;
            }
        }

        // Released mains are due now too.
        List<PlannedAction> deliver = [.. due.Where(a => a.Step == PlannedStep.Deliver)
            .Concat(due.Where(a => a.Step == PlannedStep.Release).Select(a => a with { Step = PlannedStep.Deliver }))];
        deliver = await SettleOpenAttemptsAsync(message, deliver, cancellationToken).ConfigureAwait(false);
        foreach (var group in deliver.GroupBy(a => a.Provider, StringComparer.OrdinalIgnoreCase))
        {
            await DeliverGroupAsync(message, group.Key, [.. group], cancellationToken).ConfigureAwait(false);
        }

        if (planner.IsComplete(message))
        {
            Complete(message);
        }
    }

    /// <summary>
    /// For each due target with an open attempt: asks the attempt's provider whether the copy arrived. Returns the
    /// actions still to deliver; found copies are journalled delivered, unanswerable ones deferred (attempt kept open).
    /// </summary>
    private async Task<List<PlannedAction>> SettleOpenAttemptsAsync(QueuedMessage message, List<PlannedAction> actions, CancellationToken cancellationToken)
    {
        var remaining = new List<PlannedAction>(actions.Count);
        var outcomes = new List<Outcome>();
        foreach (var action in actions)
        {
            var r = message.Recipients[action.Recipient];
            var target = r.Get(action.Kind);
            if (!target.AttemptOpen)
            {
                remaining.Add(action);
                continue;
            }

            var provider = target.AttemptProvider ?? action.Provider;
            var (found, reason) = await finder.FindAsync(r.Recipient.Tenant, provider, r.Recipient.DeliverTo, message, cancellationToken).ConfigureAwait(false);
            Log.AttemptChecked(logger, message.Id, r.Recipient.DeliverTo, provider, action.Kind, found);
            switch (found)
            {
                case CopySearchOutcome.Found:
                    outcomes.Add(Delivered(message, action with { Provider = provider }));
                    break;
                case CopySearchOutcome.Unreachable:
                    var reply = LmtpReply.LocalTransient($"{provider} could not be asked whether an earlier attempt arrived ({reason})");
                    outcomes.Add(KeepOpen(message, action, provider, Decide(message, action with { Provider = provider }, reply), "(unchecked)"));
                    break;
                default:
                    remaining.Add(action);
                    break;
            }
        }

        await CommitAsync(message, outcomes, cancellationToken).ConfigureAwait(false);
        return remaining;
    }

    private async Task DeliverGroupAsync(QueuedMessage message, string provider, List<PlannedAction> actions, CancellationToken cancellationToken)
    {
        var backend = Backend(message.Recipients[actions[0].Recipient].Recipient.Tenant, provider);
        IReadOnlyList<LmtpReply> replies;
        var attempted = new HashSet<int>();
        if (backend is null)
        {
            var reply = provider == DeliveryPlanner.Relay
                ? new LmtpReply(554, "5.4.4 No relay configured (Continuity:Mail:Delivery:Relay) for addresses outside the tenants")
                : LmtpReply.LocalTransient($"provider '{provider}' has no Mail:Inbound backend configured");
            replies = [.. actions.Select(_ => reply)];
        }
        else
        {
            Task BeforeBody(IReadOnlyList<int> accepted, CancellationToken _)
            {
                // The final dot follows only a durable attempt: after a crash, recovery knows whom to ask.
                var at = time.GetUtcNow();
                var where = backend.GetLeftPart(UriPartial.Authority);
                SpoolStore.Append(message, [.. accepted.Select(i => SpoolJournal.Attempt(actions[i].Recipient, actions[i].Kind, provider, at, where))]);
                foreach (var i in accepted)
                {
                    var target = message.Recipients[actions[i].Recipient].Get(actions[i].Kind);
                    target.AttemptOpen = true;
                    target.AttemptProvider = provider;
                    attempted.Add(i);
                }

                return Task.CompletedTask;
            }

            var recipients = actions.Select(a => message.Recipients[a.Recipient].Recipient.DeliverTo).ToList();
            replies = await transport.DeliverAsync(backend, message.Envelope.From, recipients, message, BeforeBody, cancellationToken).ConfigureAwait(false);
        }

        var outcomes = new List<Outcome>(actions.Count);
        for (var i = 0; i < actions.Count; i++)
        {
            var outcome = Decide(message, actions[i], replies[i]);
            // The body was sent and no reply came: the backend may hold the copy, so the attempt stays open.
            outcomes.Add(attempted.Contains(i) && replies[i].IsLocal ? KeepOpen(message, actions[i], provider, outcome, "(unanswered)") : outcome);
        }

        await CommitAsync(message, outcomes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Group commit: every outcome's lines in one append and one fsync, then the state in memory, logs and signals. When
    /// every outcome is a deferral the lines are not fsync'd: losing them loses nothing (see <see cref="SpoolStore.Append(QueuedMessage, IReadOnlyList{string}, bool)"/>).
    /// </summary>
    private async Task CommitAsync(QueuedMessage message, List<Outcome> outcomes, CancellationToken cancellationToken)
    {
        SpoolStore.Append(message, [.. outcomes.SelectMany(o => o.Lines)], durable: !outcomes.TrueForAll(o => o.IsDeferral));
        foreach (var outcome in outcomes)
        {
            outcome.Apply();
        }

        foreach (var signal in outcomes.Select(o => o.Signal).OfType<CutoffSignal>())
        {
            await RaiseAsync(signal, cancellationToken).ConfigureAwait(false);
        }
    }

    private Outcome Delivered(QueuedMessage message, PlannedAction action)
    {
        var r = message.Recipients[action.Recipient];
        var target = r.Get(action.Kind);
        return new([SpoolJournal.Delivered(action.Recipient, action.Kind, action.Provider)], () =>
        {
            target.Status = TargetStatus.Delivered;
            target.Provider = action.Provider;
            target.AttemptOpen = false;
            metrics.MailDelivered(r.Recipient.Tenant, action.Provider, action.Kind == TargetKind.Main ? "main" : "copy");
            Log.Delivered(logger, message.Id, r.Recipient.DeliverTo, action.Provider, action.Kind);
        });
    }

    /// <summary>What one reply means for one target: its journal lines, and what to do once they are durable.</summary>
    private Outcome Decide(QueuedMessage message, PlannedAction action, LmtpReply reply)
    {
        var r = message.Recipients[action.Recipient];
        var target = r.Get(action.Kind);
        var reason = SpoolJournal.Clean(reply.ToString());
        var now = time.GetUtcNow();
        if (reply.IsPositive)
        {
            return Delivered(message, action);
        }

        if (reply.IsPermanent && action.Kind == TargetKind.Main && action.Provider != DeliveryPlanner.Relay
            && disabled.IsDisabledMailbox(reply) && IsKnownUser(r.Recipient))
        {
            return new([SpoolJournal.Held(action.Recipient, action.Provider, reason)], () =>
            {
                target.Status = TargetStatus.Held;
                target.Provider = action.Provider;
                target.LastError = reason;
                target.AttemptOpen = false;
                Log.Held(logger, message.Id, r.Recipient.DeliverTo, action.Provider, reason);
            }, new CutoffSignal(r.Recipient.Tenant!, r.Recipient.DeliverTo, action.Provider, "mx", reason));
        }

        var expired = now - message.Envelope.ReceivedAt >= options.Value.Delivery.GiveUpAfter;
        if (reply.IsPermanent || expired)
        {
            var final = reply.IsPermanent ? reason : $"{reason} (gave up after {options.Value.Delivery.GiveUpAfter})";
            return new([action.Kind == TargetKind.Main ? SpoolJournal.Failed(action.Recipient, final) : SpoolJournal.CopyDropped(action.Recipient, final)], () =>
            {
                target.Status = action.Kind == TargetKind.Main ? TargetStatus.Failed : TargetStatus.Dropped;
                target.LastError = final;
                target.AttemptOpen = false;
                if (action.Kind == TargetKind.Main)
                {
                    metrics.MailBounced(r.Recipient.Tenant);
                }

                Log.Failed(logger, message.Id, r.Recipient.DeliverTo, action.Provider, action.Kind, final);
            });
        }

        var attempts = target.Attempts + 1;
        var next = now + RetrySchedule.DelayAfter(attempts, options.Value.Delivery);
        return new([SpoolJournal.Deferred(action.Recipient, action.Kind, attempts, next, reason)], () =>
        {
            target.AttemptOpen = false;
            target.Attempts = attempts;
            target.NextAttempt = next;
            target.LastError = reason;
            metrics.MailDeferred(r.Recipient.Tenant, action.Provider);
            Log.Deferred(logger, message.Id, r.Recipient.DeliverTo, action.Provider, action.Kind, reason, next);
        }, IsDeferral: true);
    }

    /// <summary>A deferral that leaves the attempt at <paramref name="provider"/> open (a <c>P</c> after its <c>T</c>); other outcomes close it.</summary>
    private Outcome KeepOpen(QueuedMessage message, PlannedAction action, string provider, Outcome outcome, string note)
    {
        if (!outcome.IsDeferral)
        {
            return outcome;
        }

        var target = message.Recipients[action.Recipient].Get(action.Kind);
        return outcome with
        {
            Lines = [.. outcome.Lines, SpoolJournal.Attempt(action.Recipient, action.Kind, provider, time.GetUtcNow(), note)],
            Apply = () =>
            {
                outcome.Apply();
                target.AttemptOpen = true;
                target.AttemptProvider = provider;
            },
        };
    }

    /// <summary>
    /// The journal lines of one target's outcome, and what changes in memory once they are fsync'd. A deferral leaves
    /// <see cref="TargetState.AttemptOpen"/> as it is: closed by its <c>T</c>, or kept open by a <c>P</c> after it.
    /// </summary>
    private sealed record Outcome(IReadOnlyList<string> Lines, Action Apply, CutoffSignal? Signal = null, bool IsDeferral = false);

    private void Complete(QueuedMessage message)
    {
        var failed = message.Recipients.Where(r => r.Main.Status == TargetStatus.Failed)
            .Select(r => (r.Recipient, r.Main.LastError ?? "5.0.0 failed")).ToList();
        if (failed.Count > 0 && !message.BounceSpooled)
        {
            bounces.Spool(message, failed);
        }

        spool.Remove(message);
        queue.Remove(message.Id);
        Log.Completed(logger, message.Id);
    }

    private Uri? Backend(string? tenantId, string provider)
    {
        var uri = provider == DeliveryPlanner.Relay
            ? options.Value.Delivery.Relay
            : tenantId is not null && tenants.Find(tenantId) is { } tenant && tenant.FindProvider(provider) is { } name
                ? tenant.Providers[name]?.Mail?.Inbound
                : null;
        return uri is not null && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null;
    }

    private bool IsKnownUser(SpoolRecipient recipient) =>
        recipient.Tenant is { } id && tenants.Find(id) is { } tenant
        && (tenant.Users.Count == 0 || tenant.Users.Exists(u => string.Equals(u, recipient.DeliverTo, StringComparison.OrdinalIgnoreCase)));

    private async Task RaiseAsync(CutoffSignal signal, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await signals.RaiseAsync(signal, cancellationToken).ConfigureAwait(false);
            Log.Signal(logger, signal.Tenant, signal.User, signal.Provider, outcome);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SignalFailed(logger, signal.Tenant, signal.User, e);
        }
    }
}
