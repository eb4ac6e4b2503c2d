namespace Continuity.Core.Routing;

public sealed partial class RouteSnapshotService
{
    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Information, "Routes loaded from the fail-static copy (version {Version}) at {Path}")]
        public static partial void LoadedFromDisk(ILogger logger, long version, string path);

        [LoggerMessage(301, LogLevel.Information, "Routes updated: version {From} → {To}")]
        public static partial void Swapped(ILogger logger, long from, long to);

        [LoggerMessage(302, LogLevel.Debug, "Route refresh skipped: {Error}; routing from the current snapshot")]
        public static partial void RefreshFailed(ILogger logger, string error);

        [LoggerMessage(304, LogLevel.Warning, "The state store was at route version {StoreVersion}, behind this node's {NodeVersion}: routes restored from this node's snapshot (audited)")]
        public static partial void Restored(ILogger logger, long storeVersion, long nodeVersion);

        [LoggerMessage(305, LogLevel.Error, "Route refresh failed unexpectedly; routing from the current snapshot, the next check retries")]
        public static partial void RefreshCrashed(ILogger logger, Exception exception);

        [LoggerMessage(303, LogLevel.Warning, "Could not write the fail-static route copy {Path}: {Error}")]
        public static partial void DiskWriteFailed(ILogger logger, string path, string error);
    }
}
