namespace Continuity.Identity.Validation;

internal sealed partial class AdminBearerHandler
{
    private static partial class Log
    {
        [LoggerMessage(3602, LogLevel.Information, "Admin API bearer token of {User} ({Tenant}) has no admin scope or the user is not an admin")]
        public static partial void NoRole(ILogger logger, string user, string tenant);
    }
}
