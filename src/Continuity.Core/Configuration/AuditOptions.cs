namespace Continuity.Core.Configuration;

/// <summary>The audit chain's key, bound from <c>Continuity:Audit</c>.</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// A file holding the HMAC-SHA256 key of the audit chains (base64 of 32 bytes, e.g. <c>openssl rand -base64 32</c>,
    /// or 32 raw bytes), kept outside the state store and identical on every node: whoever can write the store
    /// but not read this file cannot rewrite a chain so that <c>continuity audit verify</c> still passes. With none
    /// set, a key is generated once into <c>{DataDir}/keys/audit.key</c> (0600) — for the embedded store or
    /// development; an external store needs the file unless <see cref="ContinuityOptions.Development"/> is on.
    /// </summary>
    public string? KeyFile { get; set; }
}
