namespace Continuity.Identity.Configuration;

/// <summary>A tenant's issuer and which of its providers may create account links.</summary>
public sealed class IdentityTenantOptions
{
    /// <summary>
    /// The issuer relying parties see (absolute URL ending in '/'). Default <c>https://{Hosts.Login}/</c>.
    /// Every node of the gateway must use the same value: it is in every token.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// Providers whose verified <c>email</c> may create an account link at first login. Default: every
    /// provider of the tenant (both sides are the tenant's own contracts). Empty list: links only by import.
    /// </summary>
    public List<string>? TrustedProviders { get; set; }
}
