using Continuity.Core.Signals;
using Microsoft.Extensions.Logging;

namespace Continuity.Identity.Probes;

internal sealed partial class UpstreamProbeService
{
    private static partial class Log
    {
        [LoggerMessage(3201, LogLevel.Information, "Identity upstream of {Tenant}/{Provider} at {Authority} is up: {Detail}")]
        public static partial void Up(ILogger logger, string tenant, string provider, string authority, string detail);

        [LoggerMessage(3202, LogLevel.Warning, "Identity upstream of {Tenant}/{Provider} at {Authority} is down: {Detail}")]
        public static partial void Down(ILogger logger, string tenant, string provider, string authority, string detail);

        [LoggerMessage(3203, LogLevel.Warning, "Identity upstream of {Tenant}/{Provider} stayed down: tenant-level cut-off signal {Outcome}")]
        public static partial void Signalled(ILogger logger, string tenant, string provider, CutoffSignalOutcome outcome);

        [LoggerMessage(3204, LogLevel.Error, "Could not raise the cut-off signal for the identity upstream of {Tenant}/{Provider}; retrying next round")]
        public static partial void SignalFailed(ILogger logger, Exception exception, string tenant, string provider);
    }
}
