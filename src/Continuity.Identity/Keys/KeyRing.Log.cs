namespace Continuity.Identity.Keys;

internal sealed partial class KeyRing
{
    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Information, "Identity key {KeyId} ({KeySize} bits) loaded")]
        public static partial void Loaded(ILogger logger, string keyId, int keySize);

        [LoggerMessage(3002, LogLevel.Warning, "Generated a development key at {Path}; give every node the same key files in production (Continuity:Identity:Keys)")]
        public static partial void Generated(ILogger logger, string path);
    }
}
