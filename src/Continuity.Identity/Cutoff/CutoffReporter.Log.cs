namespace Continuity.Identity.Cutoff;

internal sealed partial class CutoffReporter
{
    private static partial class Log
    {
        [LoggerMessage(3207, LogLevel.Warning, "Upstream {Tenant}/{Provider} refused a sign-in ({Kind}): {Evidence}")]
        public static partial void UpstreamRefused(ILogger logger, string tenant, string provider, CutoffClass kind, string evidence);
    }
}
