namespace Continuity.Identity.Accounts;

internal sealed partial class SessionValidation
{
    private static partial class Log
    {
        [LoggerMessage(3105, LogLevel.Warning, "State store unavailable: the session of account {Account} of {Tenant} was accepted without the revocation check")]
        public static partial void Unchecked(ILogger logger, string tenant, string account);
    }
}
