using Continuity.Core.Signals;
using Microsoft.Extensions.Logging;

namespace Continuity.Web.Health;

internal sealed partial class ProbeHealthPolicy
{
    private static partial class Log
    {
        [LoggerMessage(6020, LogLevel.Error, "Tenant {Tenant}: every backend ({Count}) of app {App} at provider {Provider} is down")]
        public static partial void AllDown(ILogger logger, string tenant, string app, string provider, int count);

        [LoggerMessage(6021, LogLevel.Information, "Tenant {Tenant}: app {App} at provider {Provider} has a healthy backend again (all were down for {Downtime})")]
        public static partial void Recovered(ILogger logger, string tenant, string app, string provider, TimeSpan downtime);

        [LoggerMessage(6022, LogLevel.Warning, "Tenant {Tenant}: web probe signal for provider {Provider}: {Outcome}")]
        public static partial void Signalled(ILogger logger, string tenant, string provider, CutoffSignalOutcome outcome);

        [LoggerMessage(6023, LogLevel.Error, "Tenant {Tenant}: web probe signal for provider {Provider} failed")]
        public static partial void SignalFailed(ILogger logger, string tenant, string provider, Exception exception);

        [LoggerMessage(6024, LogLevel.Warning, "Web backend {Address} of {Tenant}/{App}/{Provider} failed its probe: {Error}")]
        public static partial void ProbeFailed(ILogger logger, string address, string tenant, string app, string provider, string error);

        [LoggerMessage(6025, LogLevel.Debug, "Web backend {Address} of {Tenant}/{App}/{Provider} failed its probe again ({Failures} in a row): {Error}")]
        public static partial void ProbeStillFailing(ILogger logger, string address, string tenant, string app, string provider, int failures, string error);

        [LoggerMessage(6026, LogLevel.Information, "Web backend {Address} of {Tenant}/{App}/{Provider} answers its probe again (after {Failures} failed)")]
        public static partial void ProbeRecovered(ILogger logger, string address, string tenant, string app, string provider, int failures);
    }
}
