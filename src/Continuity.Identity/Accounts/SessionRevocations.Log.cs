namespace Continuity.Identity.Accounts;

internal sealed partial class SessionRevocations
{
    private static partial class Log
    {
        [LoggerMessage(3106, LogLevel.Debug, "Session revocations not subscribed ({Error}): the revocation check reads the store on every request")]
        public static partial void NotSubscribed(ILogger logger, string error);
    }
}
