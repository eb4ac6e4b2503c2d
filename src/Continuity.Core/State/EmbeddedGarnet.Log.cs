namespace Continuity.Core.State;

public sealed partial class EmbeddedGarnet
{
    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Information, "Embedded state store (Garnet) listening on 127.0.0.1:{Port}, data in {Directory}")]
        public static partial void Started(ILogger logger, int port, string directory);
    }
}
