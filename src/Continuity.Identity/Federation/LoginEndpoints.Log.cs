namespace Continuity.Identity.Federation;

internal static partial class LoginEndpoints
{
    /// <summary>The one log category of the login page and the upstream callback (static endpoints have no logger type of their own).</summary>
    public const string LogCategory = "Continuity.Identity.Federation.SignIn";

    private static partial class Log
    {
        [LoggerMessage(3301, LogLevel.Warning, "Sign-in via {Tenant}/{Provider} not tried: {Reason}")]
        public static partial void UpstreamUnavailable(ILogger logger, string tenant, string provider, string reason);
    }
}
