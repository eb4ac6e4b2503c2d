namespace Continuity.Identity.Accounts;

internal sealed partial class AccountLinker
{
    private static partial class Log
    {
        [LoggerMessage(3101, LogLevel.Information, "Linked an upstream identity of {Tenant}/{Provider} to account {Account}")]
        public static partial void Linked(ILogger logger, string tenant, string provider, string account);

        [LoggerMessage(3102, LogLevel.Warning, "Refused to link an upstream identity of {Tenant}/{Provider}: {Reason}")]
        public static partial void Refused(ILogger logger, string tenant, string provider, string reason);
    }
}
