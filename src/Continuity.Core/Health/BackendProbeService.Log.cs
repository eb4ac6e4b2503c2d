using Continuity.Core.Signals;

namespace Continuity.Core.Health;

public abstract partial class BackendProbeService<TTarget, TBackend>
{
    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Information, "{Kind} backend {Target} of {Tenant}/{Provider} is up: {Detail}")]
        public static partial void Up(ILogger logger, string kind, string target, string tenant, string provider, string detail);

        [LoggerMessage(401, LogLevel.Warning, "{Kind} backend {Target} of {Tenant}/{Provider} is down: {Detail}")]
        public static partial void Down(ILogger logger, string kind, string target, string tenant, string provider, string detail);

        [LoggerMessage(402, LogLevel.Warning, "{Kind} backend of {Tenant}/{Provider} stayed down: tenant-level cut-off signal raised, {Outcome}")]
        public static partial void Signalled(ILogger logger, string kind, string tenant, string provider, CutoffSignalOutcome outcome);

        [LoggerMessage(403, LogLevel.Error, "{Kind} backend of {Tenant}/{Provider} stayed down, but the cut-off signal could not be raised; trying again next round")]
        public static partial void SignalFailed(ILogger logger, Exception exception, string kind, string tenant, string provider);

        [LoggerMessage(404, LogLevel.Error, "A probe round ({Source}) failed; the next round runs at the next interval")]
        public static partial void RoundFailed(ILogger logger, Exception exception, string source);
    }
}
