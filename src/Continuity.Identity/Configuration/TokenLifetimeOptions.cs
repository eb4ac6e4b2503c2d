namespace Continuity.Identity.Configuration;

/// <summary>Token lifetimes. The state store keeps each token until it expires (TTL), so no pruning job is needed.</summary>
public sealed class TokenLifetimeOptions
{
    /// <summary>Default 2 minutes: a code is redeemed within seconds by a working client (OpenIddict's own default is 5).</summary>
    public TimeSpan AuthorizationCode { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Default 15 minutes: a cut-off user's apps stop working at most this long after the route moves.</summary>
    public TimeSpan AccessToken { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan IdentityToken { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Default 14 days (sliding, rotated on every use).</summary>
    public TimeSpan RefreshToken { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long a rotated refresh token may still be used again. Default zero: a refresh token used twice
    /// is the classic sign of theft, so the second use revokes the whole chain (OpenIddict's default is 30 s,
    /// which tolerates two browser tabs refreshing at once).
    /// </summary>
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.Zero;
}
