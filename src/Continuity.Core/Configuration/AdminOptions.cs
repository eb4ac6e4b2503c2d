namespace Continuity.Core.Configuration;

public enum AdminRole
{
    /// <summary>May read and change routes, approve and reject.</summary>
    Operator,

    /// <summary>May read routes, approvals and the audit log, and change nothing.</summary>
    Viewer,
}

/// <summary>One admin of a tenant. Keys are stored as <c>sha256:&lt;hex&gt;</c> of the key text.</summary>
public sealed class AdminOptions
{
    public AdminRole Role { get; set; } = AdminRole.Operator;

    /// <summary>
    /// Hashes of the admin's API keys (<c>continuity apikey new</c> prints a key and its hash).
    /// API keys are 256-bit random tokens, so a plain SHA-256 is the right hash: there is nothing to brute-force.
    /// </summary>
    public List<string> ApiKeyHashes { get; set; } = [];
}
