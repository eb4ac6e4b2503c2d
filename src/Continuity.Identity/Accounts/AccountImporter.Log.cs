namespace Continuity.Identity.Accounts;

internal sealed partial class AccountImporter
{
    private static partial class Log
    {
        [LoggerMessage(3103, LogLevel.Information, "Imported account links for {Tenant}: {Created} created, {Existing} existing, {Conflicts} conflicts")]
        public static partial void Imported(ILogger logger, string tenant, int created, int existing, int conflicts);
    }
}
