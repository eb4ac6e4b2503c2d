namespace Continuity.Mail.Submission;

internal sealed partial class SubmissionRelay
{
    private static partial class Log
    {
        [LoggerMessage(2601, LogLevel.Information, "Submission from {User} relayed to {Provider} ({Recipients} recipients)")]
        public static partial void Relayed(ILogger logger, string user, string provider, int recipients);

        [LoggerMessage(2602, LogLevel.Warning, "Submission backend {Backend} of {Provider} refused {User}: {Evidence}")]
        public static partial void Refused(ILogger logger, string backend, string provider, string user, string evidence);

        [LoggerMessage(2603, LogLevel.Warning, "Submission backend {Backend} answered {Code}: {Text}")]
        public static partial void BackendError(ILogger logger, string backend, int code, string text);

        [LoggerMessage(2604, LogLevel.Error, "Cut-off signal for {User} could not be raised")]
        public static partial void SignalFailed(ILogger logger, string user, Exception exception);

        [LoggerMessage(2605, LogLevel.Error, "Submission from {User} to {Provider} not relayed: no app token for the provider's mail backend: {Evidence}")]
        public static partial void NoAppToken(ILogger logger, string provider, string user, string evidence);
    }
}
