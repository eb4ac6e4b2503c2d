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

    /// <summary>
    /// A single development or test node. Allows what must never reach production: identity signing keys
    /// generated into the data directory (instead of key files given to every node) and an external state
    /// store holding the Data Protection keys unencrypted. Default false. <c>Continuity:Identity:AllowInsecureHttp</c>
    /// implies it for the identity keys.
    /// </summary>
    public bool Development { get; set; }

    public StateOptions State { get; set; } = new();

    /// <summary>The audit chains' HMAC key.</summary>
    public AuditOptions Audit { get; set; } = new();

    /// <summary>Encryption at rest of the ASP.NET Data Protection keys (in the state store).</summary>
    public DataProtectionKeyOptions DataProtection { get; set; } = new();

    public ListenerOptions Listeners { get; set; } = new();

    /// <summary>Tenants by id (the id appears in URLs, audit records and metrics).</summary>
    public Dictionary<string, TenantOptions> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
