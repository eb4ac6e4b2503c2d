namespace Continuity.Mail.Submission;

internal sealed partial class AuthFrontListenerFactory
{
    private static partial class Log
    {
        [LoggerMessage(2613, LogLevel.Warning, "Submission connection from {Client} refused: it has {Limit} open already (Mail:Access:MaxSubmissionConnectionsPerAddress)")]
        public static partial void TooMany(ILogger logger, string client, int limit);
    }
}
