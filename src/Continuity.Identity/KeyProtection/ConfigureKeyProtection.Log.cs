namespace Continuity.Identity.KeyProtection;

internal sealed partial class ConfigureKeyProtection
{
    private static partial class Log
    {
        [LoggerMessage(3701, LogLevel.Warning, "Data Protection keys are stored unencrypted in the external state store (Continuity:Development is on): set Continuity:DataProtection:KeyFile before production")]
        public static partial void Unencrypted(ILogger logger);
    }
}
