namespace Continuity.Mail.Proxy;

internal sealed partial class ReloadingCertificate
{
    private static partial class Log
    {
        [LoggerMessage(2750, LogLevel.Information, "TLS certificate {Path} changed: now serving {Subject}, valid until {NotAfter:u}")]
        public static partial void Reloaded(ILogger logger, string path, string subject, DateTime notAfter);

        [LoggerMessage(2751, LogLevel.Warning, "TLS certificate {Path} changed but does not load ({Error}); still serving the previous one, trying again on the next connection")]
        public static partial void ReloadFailed(ILogger logger, string path, string error);
    }
}
