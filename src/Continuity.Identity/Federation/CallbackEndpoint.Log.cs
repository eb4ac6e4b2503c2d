namespace Continuity.Identity.Federation;

internal static partial class CallbackEndpoint
{
    private static partial class Log
    {
        [LoggerMessage(3302, LogLevel.Warning, "Sign-in via {Tenant}/{Provider} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string tenant, string provider, string reason);

        [LoggerMessage(3303, LogLevel.Warning, "Sign-in via {Tenant}/{Provider} did not complete: {Failure}")]
        public static partial void NotCompleted(ILogger logger, string tenant, string provider, string failure);

        [LoggerMessage(3304, LogLevel.Error, "Sign-in via {Tenant}/{Provider} failed; reference {Reference}")]
        public static partial void Failed(ILogger logger, string tenant, string provider, string reference, Exception exception);
    }
}
