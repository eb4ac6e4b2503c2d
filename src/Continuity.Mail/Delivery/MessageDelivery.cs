using Continuity.Core.Signals;
using Continuity.Mail.Bounces;
using Continuity.Core.Tenants;
using Continuity.Mail.Configuration;
using Continuity.Mail.Lmtp;
using Continuity.Mail.Spool;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Delivery;

/// <summary>
/// One delivery pass over one message: runs what <see cref="DeliveryPlanner"/> says is due, one backend
/// transaction per provider, and journals each recipient's outcome (fsync'd) before acting on it.
/// Exactly-once: a recipient's <c>D</c> line is written right after the backend's 250 and is never delivered again.
/// The one window left is a crash between that 250 and the journal write; the recipient is then delivered
/// a second time after restart (at-least-once there, as with every MTA).
/// </summary>
internal sealed partial class MessageDelivery(
    DeliveryPlanner planner,
    IBackendTransport transport,
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

        foreach (var action in due.Where(a => a.Step != PlannedStep.Deliver))
        {
            var r = message.Recipients[action.Recipient];
            if (action.Step == PlannedStep.Release)
            {
                SpoolStore.Append(message, SpoolJournal.Released(action.Recipient));
                r.Main.Status = TargetStatus.Pending;
                r.Main.Provider = null;
                r.Main.NextAttempt = DateTimeOffset.MinValue;
                r.Main.Attempts = 0;
                LogReleased(logger, message.Id, r.Recipient.DeliverTo, action.Provider);
            }
            else
            {
                SpoolStore.Append(message, SpoolJournal.Delivered(action.Recipient, TargetKind.Main, action.Provider));
                r.Main.Status = TargetStatus.Delivered;
                r.Main.Provider = action.Provider;
            }
        }

        // Released mains are due now too.
        var deliveries = due.Where(a => a.Step == PlannedStep.Deliver)
            .Concat(due.Where(a => a.Step == PlannedStep.Release).Select(a => a with { Step = PlannedStep.Deliver }))
            .GroupBy(a => a.Provider, StringComparer.OrdinalIgnoreCase);
        foreach (var group in deliveries)
        {
            await DeliverGroupAsync(message, group.Key, [.. group], cancellationToken).ConfigureAwait(false);
        }

        if (planner.IsComplete(message))
        {
            Complete(message);
        }
    }

    private async Task DeliverGroupAsync(QueuedMessage message, string provider, List<PlannedAction> actions, CancellationToken cancellationToken)
    {
        var backend = Backend(message.Recipients[actions[0].Recipient].Recipient.Tenant, provider);
        IReadOnlyList<LmtpReply> replies;
        if (backend is null)
        {
            var reply = provider == DeliveryPlanner.Relay
                ? new LmtpReply(554, "5.4.4 No relay configured (Continuity:Mail:Delivery:Relay) for addresses outside the tenants")
                : LmtpReply.LocalTransient($"provider '{provider}' has no Mail:Inbound backend configured");
            replies = [.. actions.Select(_ => reply)];
        }
        else
        {
            var recipients = actions.Select(a => message.Recipients[a.Recipient].Recipient.DeliverTo).ToList();
            replies = await transport.DeliverAsync(backend, message.Envelope.From, recipients, message, cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < actions.Count; i++)
        {
            await RecordAsync(message, actions[i], replies[i], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RecordAsync(QueuedMessage message, PlannedAction action, LmtpReply reply, CancellationToken cancellationToken)
    {
        var r = message.Recipients[action.Recipient];
        var target = r.Get(action.Kind);
        var reason = SpoolJournal.Clean(reply.ToString());
        var now = time.GetUtcNow();
        if (reply.IsPositive)
        {
            SpoolStore.Append(message, SpoolJournal.Delivered(action.Recipient, action.Kind, action.Provider));
            target.Status = TargetStatus.Delivered;
            target.Provider = action.Provider;
            metrics.MailDelivered(r.Recipient.Tenant, action.Provider, action.Kind == TargetKind.Main ? "main" : "copy");
            LogDelivered(logger, message.Id, r.Recipient.DeliverTo, action.Provider, action.Kind);
            return;
        }

        if (reply.IsPermanent && action.Kind == TargetKind.Main && action.Provider != DeliveryPlanner.Relay
            && disabled.IsDisabledMailbox(reply) && IsKnownUser(r.Recipient))
        {
            SpoolStore.Append(message, SpoolJournal.Held(action.Recipient, action.Provider, reason));
            target.Status = TargetStatus.Held;
            target.Provider = action.Provider;
            target.LastError = reason;
            LogHeld(logger, message.Id, r.Recipient.DeliverTo, action.Provider, reason);
            await RaiseAsync(new CutoffSignal(r.Recipient.Tenant!, r.Recipient.DeliverTo, action.Provider, "mx", reason), cancellationToken).ConfigureAwait(false);
            return;
        }

        var expired = now - message.Envelope.ReceivedAt >= options.Value.Delivery.GiveUpAfter;
        if (reply.IsPermanent || expired)
        {
            var final = reply.IsPermanent ? reason : $"{reason} (gave up after {options.Value.Delivery.GiveUpAfter})";
            SpoolStore.Append(message, action.Kind == TargetKind.Main
                ? SpoolJournal.Failed(action.Recipient, final)
                : SpoolJournal.CopyDropped(action.Recipient, final));
            target.Status = action.Kind == TargetKind.Main ? TargetStatus.Failed : TargetStatus.Dropped;
            target.LastError = final;
            if (action.Kind == TargetKind.Main)
            {
                metrics.MailBounced(r.Recipient.Tenant);
            }

            LogFailed(logger, message.Id, r.Recipient.DeliverTo, action.Provider, action.Kind, final);
            return;
        }

        var attempts = target.Attempts + 1;
        var next = now + RetrySchedule.DelayAfter(attempts, options.Value.Delivery);
        SpoolStore.Append(message, SpoolJournal.Deferred(action.Recipient, action.Kind, attempts, next, reason));
        target.Attempts = attempts;
        target.NextAttempt = next;
        target.LastError = reason;
        metrics.MailDeferred(r.Recipient.Tenant, action.Provider);
        LogDeferred(logger, message.Id, r.Recipient.DeliverTo, action.Provider, action.Kind, reason, next);
    }

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
        LogCompleted(logger, message.Id);
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
            LogSignal(logger, signal.Tenant, signal.User, signal.Provider, outcome);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSignalFailed(logger, signal.Tenant, signal.User, e);
        }
    }
}
