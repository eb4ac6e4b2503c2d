namespace Continuity.Gateway.Cli;

/// <summary>What <c>continuity</c> exits with; the README's "Exit codes" table says the same.</summary>
internal static class ExitCode
{
    /// <summary>Done (the gateway stopped cleanly, the call succeeded, the check passed).</summary>
    public const int Ok = 0;

    /// <summary>
    /// The operation failed: the gateway refused it (4xx/5xx), could not be reached or did not answer in time, the node is
    /// not ready, the audit chain is broken, an import left conflicts, a sync run ended with an error.
    /// </summary>
    public const int Failed = 1;

    /// <summary>
    /// Usage or configuration error: an unknown verb or option, a missing or mistyped value, a file that does not exist,
    /// an invalid configuration. Nothing was sent to a gateway and nothing was started.
    /// </summary>
    public const int Usage = 2;
}
