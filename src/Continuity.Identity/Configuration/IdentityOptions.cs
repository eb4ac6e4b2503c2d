namespace Continuity.Identity.Configuration;

/// <summary>
/// The gateway's own OIDC provider, bound from <c>Continuity:Identity</c>. Upstream identity
/// providers are not here: each tenant provider's <c>Identity</c> section (Core) names them.
/// </summary>
public sealed class IdentityOptions
{
    public const string SectionName = "Continuity:Identity";

    /// <summary>Per-tenant issuer settings, by tenant id. A tenant without an entry gets <c>https://{Hosts.Login}/</c>.</summary>
    public Dictionary<string, IdentityTenantOptions> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Signing and encryption keys. With no files named, development keys are generated once into <c>{DataDir}/keys</c>.</summary>
    public IdentityKeysOptions Keys { get; set; } = new();

    /// <summary>Relying parties by client id.</summary>
    public Dictionary<string, ClientOptions> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>API scopes beyond the standard ones (<c>openid email profile offline_access</c>), by name → resources (audiences).</summary>
    public Dictionary<string, List<string>> Scopes { get; set; } = new(StringComparer.Ordinal);

    public TokenLifetimeOptions Lifetimes { get; set; } = new();

    public CutoffOptions Cutoff { get; set; } = new();

    /// <summary>Probes of the providers' identity upstreams (discovery and JWKS).</summary>
    public UpstreamProbeOptions Probes { get; set; } = new();

    /// <summary>Name of the gateway's own session cookie. Default <c>__continuity_id</c>.</summary>
    public string CookieName { get; set; } = "__continuity_id";

    /// <summary>
    /// Gateway session lifetime (sliding). Default 8 h: one working day, so a user who was moved to
    /// another provider signs in again through it at the latest the next morning.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long a node reuses an account's "sessions revoked at" instant before reading it again. Default
    /// 5 s: a revocation reaches every node at once through the store's pub/sub, and within this time if a
    /// message is lost; every request with a session cookie otherwise costs one store read. Zero: no cache.
    /// </summary>
    public TimeSpan SessionRevocationCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Allows plain http for the gateway's endpoints and its upstream calls. Only for tests and local
    /// demos: default false, so a production deployment refuses http outright.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// Longest wait for one call to an upstream while a user signs in (discovery, token, userinfo), with no
    /// retry. Default 3 s: the login page must come back within 5 s with the other sign-in option when an upstream
    /// is down, and a healthy upstream answers in well under a second.
    /// </summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
