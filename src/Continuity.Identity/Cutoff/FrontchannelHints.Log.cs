namespace Continuity.Identity.Cutoff;

internal sealed partial class FrontchannelHints
{
    private static partial class Log
    {
        [LoggerMessage(3205, LogLevel.Information, "Upstream {Tenant}/{Provider}: a refusal came back through the browser ({Kind}); a hint only, not evidence")]
        public static partial void Hint(ILogger logger, string tenant, string provider, CutoffClass kind);

        [LoggerMessage(3206, LogLevel.Debug, "Upstream {Tenant}/{Provider}: a repeated browser-borne refusal hint was not audited again")]
        public static partial void HintSuppressed(ILogger logger, string tenant, string provider);
    }
}
