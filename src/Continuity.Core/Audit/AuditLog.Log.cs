namespace Continuity.Core.Audit;

public sealed partial class AuditLog
{
    private static partial class Log
    {
        [LoggerMessage(150, LogLevel.Information, "Audit {Tenant} #{Seq}: {Action} by {Actor}, user {User}{Change}, reason: {Reason} ({Details})")]
        public static partial void Appended(ILogger logger, string tenant, long seq, string action, string actor, string user, string change, string reason, string details);
    }
}
