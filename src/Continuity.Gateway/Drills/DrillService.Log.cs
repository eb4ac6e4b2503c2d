namespace Continuity.Gateway.Drills;

internal sealed partial class DrillService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Drill {Drill} started for tenant {Tenant} by {Actor} (live: {Live}, {Users} user(s))")]
        public static partial void Started(ILogger logger, string drill, string tenant, string actor, bool live, int users);

        [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "Drill {Drill} broke off")]
        public static partial void Crashed(ILogger logger, string drill, Exception exception);

        [LoggerMessage(EventId = 9003, Level = LogLevel.Error, Message = "Drill {Drill} could not audit its end")]
        public static partial void AuditFailed(ILogger logger, string drill, Exception exception);

        [LoggerMessage(EventId = 9004, Level = LogLevel.Critical, Message = "Drill {Drill} could not route {User} back: the user stays on the sovereign side until an admin moves them")]
        public static partial void RouteBackFailed(ILogger logger, string drill, string user, Exception exception);
    }
}
