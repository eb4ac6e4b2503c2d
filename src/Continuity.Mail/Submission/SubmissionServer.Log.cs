namespace Continuity.Mail.Submission;

internal sealed partial class SubmissionServer
{
    private static partial class Log
    {
        [LoggerMessage(2610, LogLevel.Information, "Submission proxy listening on ports {Port} (STARTTLS) and {TlsPort} (implicit TLS; 0 = off)")]
        public static partial void Listening(ILogger logger, int port, int tlsPort);

        [LoggerMessage(2611, LogLevel.Information, "Submission proxy off (Continuity:Listeners:Submission and Mail:Access:SubmissionsPort are 0)")]
        public static partial void Off(ILogger logger);

        [LoggerMessage(2612, LogLevel.Debug, "Submission session ended with an error")]
        public static partial void Faulted(ILogger logger, Exception exception);
    }
}
