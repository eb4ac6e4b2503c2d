namespace Continuity.Mail.Delivery;

internal sealed partial class MessageDelivery
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "{Id}: delivered to {Recipient} at {Provider} ({Kind})")]
        public static partial void Delivered(ILogger logger, string id, string recipient, string provider, TargetKind kind);

        [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "{Id}: {Recipient} at {Provider} ({Kind}) deferred: {Reason}; next attempt {Next:o}")]
        public static partial void Deferred(ILogger logger, string id, string recipient, string provider, TargetKind kind, string reason, DateTimeOffset next);

        [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "{Id}: {Recipient} at {Provider} ({Kind}) failed: {Reason}")]
        public static partial void Failed(ILogger logger, string id, string recipient, string provider, TargetKind kind, string reason);

        [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "{Id}: {Provider} disabled the mailbox of {Recipient}; held until the route changes: {Reason}")]
        public static partial void Held(ILogger logger, string id, string recipient, string provider, string reason);

        [LoggerMessage(EventId = 1505, Level = LogLevel.Information, Message = "{Id}: {Recipient} released from hold, now routed to {Provider}")]
        public static partial void Released(ILogger logger, string id, string recipient, string provider);

        [LoggerMessage(EventId = 1506, Level = LogLevel.Information, Message = "{Id}: done, removed from the spool")]
        public static partial void Completed(ILogger logger, string id);

        [LoggerMessage(EventId = 1507, Level = LogLevel.Warning, Message = "Cut-off signal for {User} of tenant {Tenant} at {Provider}: {Outcome}")]
        public static partial void Signal(ILogger logger, string tenant, string? user, string provider, CutoffSignalOutcome outcome);

        [LoggerMessage(EventId = 1509, Level = LogLevel.Information, Message = "{Id}: open attempt for {Recipient} at {Provider} ({Kind}) checked over IMAP: {Outcome}")]
        public static partial void AttemptChecked(ILogger logger, string id, string recipient, string provider, TargetKind kind, CopySearchOutcome outcome);

        [LoggerMessage(EventId = 1508, Level = LogLevel.Error, Message = "Cut-off signal for {User} of tenant {Tenant} could not be raised")]
        public static partial void SignalFailed(ILogger logger, string tenant, string? user, Exception exception);
    }
}
