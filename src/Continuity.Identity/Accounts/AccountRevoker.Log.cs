namespace Continuity.Identity.Accounts;

internal sealed partial class AccountRevoker
{
    private static partial class Log
    {
        [LoggerMessage(3104, LogLevel.Warning, "Revoked the sessions, tokens ({Tokens}) and authorizations ({Authorizations}) of account {Account} of {Tenant}")]
        public static partial void Revoked(ILogger logger, string tenant, string account, long tokens, long authorizations);
    }
}
