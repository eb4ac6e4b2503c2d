namespace Continuity.Core.State;

public sealed partial class StateStore
{
    private static partial class Log
    {
        [LoggerMessage(110, LogLevel.Information, "State store: {Mode} at {Endpoint}")]
        public static partial void Connecting(ILogger logger, string mode, string endpoint);

        [LoggerMessage(111, LogLevel.Warning, "State store unreachable ({Error}); refusing changes, routing from the snapshot")]
        public static partial void Unavailable(ILogger logger, string error);

        [LoggerMessage(112, LogLevel.Warning, "State store lost ({Mode} at {Endpoint}: {Failure}); routing from the last snapshot, changes refused until it returns")]
        public static partial void Lost(ILogger logger, string mode, string endpoint, string failure);

        [LoggerMessage(113, LogLevel.Warning, "State store reachable again ({Mode} at {Endpoint}); changes accepted")]
        public static partial void Restored(ILogger logger, string mode, string endpoint);
    }
}
