using Microsoft.Extensions.Logging;

namespace Continuity.Web.Routing;

internal sealed partial class UserRouting
{
    private static partial class Log
    {
        [LoggerMessage(6010, LogLevel.Warning, "Tenant {Tenant}: app {App} has no backends at provider {Provider}")]
        public static partial void NoCluster(ILogger logger, string tenant, string app, string provider);
    }
}
