using Microsoft.Extensions.Logging;

namespace Continuity.Web.Proxy;

internal sealed partial class AppProxyConfigProvider
{
    private static partial class Log
    {
        [LoggerMessage(6000, LogLevel.Information, "Web proxy configuration built: {Routes} app routes, {Clusters} clusters")]
        public static partial void Built(ILogger logger, int routes, int clusters);
    }
}
