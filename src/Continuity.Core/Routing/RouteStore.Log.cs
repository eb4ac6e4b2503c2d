namespace Continuity.Core.Routing;

public sealed partial class RouteStore
{
    private static partial class Log
    {
        [LoggerMessage(320, LogLevel.Information, "Route changed in tenant {Tenant}: {User} {Before} → {After} (version {Version}) by {Actor}, reason: {Reason} (audit #{AuditSeq})")]
        public static partial void Changed(ILogger logger, string tenant, string user, string before, string after, long version, string actor, string reason, long auditSeq);
    }
}
