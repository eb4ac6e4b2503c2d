namespace Continuity.Core.Configuration;

/// <summary>The whole <c>Continuity</c> configuration tree, bound at start and validated as one.</summary>
public sealed class ContinuityOptions
{
    public const string SectionName = "Continuity";

    /// <summary>
    /// Directory for the embedded store, the fail-static route snapshot and (later) the mail spool.
    /// Relative paths are resolved against the working directory. Default <c>data</c>.
    /// </summary>
    public string DataDir { get; set; } = "data";

    public StateOptions State { get; set; } = new();

    public ListenerOptions Listeners { get; set; } = new();

    /// <summary>Tenants by id (the id appears in URLs, audit records and metrics).</summary>
    public Dictionary<string, TenantOptions> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
