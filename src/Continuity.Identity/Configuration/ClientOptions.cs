namespace Continuity.Identity.Configuration;

/// <summary>One relying party (the dictionary key is its client id).</summary>
public sealed class ClientOptions
{
    public string? DisplayName { get; set; }

    /// <summary>
    /// <c>sha256:&lt;64 hex&gt;</c> of the client secret (the secret is a random token of at least 32
    /// characters, so a plain SHA-256 cannot be brute-forced). Absent: a public client (PKCE only, no secret).
    /// </summary>
    public string? SecretHash { get; set; }

    /// <summary>Redirect URIs, compared exactly (scheme, host, port, path and query).</summary>
    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>
    /// Scopes the client may ask for. Empty (the default): <c>openid email profile</c>. (Lists start empty
    /// because configuration binding appends to a list, it does not replace it.)
    /// </summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary><c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>. Empty (the default): code and refresh.</summary>
    public List<string> GrantTypes { get; set; } = [];

    internal IReadOnlyList<string> EffectiveScopes => Scopes.Count > 0 ? Scopes : ["openid", "email", "profile"];

    internal IReadOnlyList<string> EffectiveGrantTypes => GrantTypes.Count > 0 ? GrantTypes : ["authorization_code", "refresh_token"];

    /// <summary>Tenant whose users this client serves (the <c>tenant</c> claim of client-credentials tokens). Optional.</summary>
    public string? Tenant { get; set; }
}
