using Continuity.Core.Signals;
using Continuity.Mail.Spool;
using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Delivery;

internal sealed partial class MessageDelivery
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "{Id}: delivered to {Recipient} at {Provider} ({Kind})")]
    private static partial void LogDelivered(ILogger logger, string id, string recipient, string provider, TargetKind kind);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "{Id}: {Recipient} at {Provider} ({Kind}) deferred: {Reason}; next attempt {Next:o}")]
    private static partial void LogDeferred(ILogger logger, string id, string recipient, string provider, TargetKind kind, string reason, DateTimeOffset next);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "{Id}: {Recipient} at {Provider} ({Kind}) failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string id, string recipient, string provider, TargetKind kind, string reason);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "{Id}: {Provider} disabled the mailbox of {Recipient}; held until the route changes: {Reason}")]
    private static partial void LogHeld(ILogger logger, string id, string recipient, string provider, string reason);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Information, Message = "{Id}: {Recipient} released from hold, now routed to {Provider}")]
    private static partial void LogReleased(ILogger logger, string id, string recipient, string provider);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Information, Message = "{Id}: done, removed from the spool")]
    private static partial void LogCompleted(ILogger logger, string id);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Warning, Message = "Cut-off signal for {User} of tenant {Tenant} at {Provider}: {Outcome}")]
    private static partial void LogSignal(ILogger logger, string tenant, string? user, string provider, CutoffSignalOutcome outcome);

    [LoggerMessage(EventId = 1509, Level = LogLevel.Information, Message = "{Id}: open attempt for {Recipient} at {Provider} ({Kind}) checked over IMAP: {Outcome}")]
    private static partial void LogAttemptChecked(ILogger logger, string id, string recipient, string provider, TargetKind kind, CopySearchOutcome outcome);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Error, Message = "Cut-off signal for {User} of tenant {Tenant} could not be raised")]
    private static partial void LogSignalFailed(ILogger logger, string tenant, string? user, Exception exception);
}
