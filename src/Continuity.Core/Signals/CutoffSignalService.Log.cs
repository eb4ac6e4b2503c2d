namespace Continuity.Core.Signals;

public sealed partial class CutoffSignalService
{
    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Warning, "Cut-off signal from {Source}: tenant {Tenant}, user {User}, provider {Provider}: {Evidence}")]
        public static partial void Raised(ILogger logger, string source, string tenant, string user, string provider, string evidence);

        [LoggerMessage(202, LogLevel.Warning, "Tenant {Tenant}: {Users} users cut off by provider {Provider} within {Window}: raising a tenant-wide signal")]
        public static partial void TenantWide(ILogger logger, string tenant, string provider, long users, TimeSpan window);

        [LoggerMessage(203, LogLevel.Warning, "Tenant {Tenant}: {Provider} stopped serving the tenant, but no failover to {Target} is suggested: it is down too ({Down})")]
        public static partial void Withheld(ILogger logger, string tenant, string provider, string target, string down);

        [LoggerMessage(204, LogLevel.Warning, "Cut-off signal for {Tenant}/{User} not acted on yet: this node has not loaded its routes")]
        public static partial void RoutesNotLoaded(ILogger logger, string tenant, string user);

        [LoggerMessage(201, LogLevel.Error, "Cut-off signal for {Tenant}/{User} could not be acted on: state store unreachable")]
        public static partial void Unavailable(ILogger logger, string tenant, string user);
    }
}
