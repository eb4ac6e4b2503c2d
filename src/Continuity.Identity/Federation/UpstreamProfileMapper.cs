using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Federation;

/// <summary>
/// Turns what an upstream said into an <see cref="UpstreamIdentity"/> according to the provider's
/// <see cref="UpstreamProfile"/>: which claim is the stable upstream identity, and which address (if any) may
/// link an account. The address it offers is checked against the tenant's domains by <see cref="AccountLinker"/>.
/// </summary>
internal static class UpstreamProfileMapper
{
    /// <summary>Entra's directory (tenant) id claim.</summary>
    public const string TenantIdClaim = "tid";

    /// <summary>Entra's object id: the user's immutable id in the directory, the same for every application.</summary>
    public const string ObjectIdClaim = "oid";

    public const string UpnClaim = "upn";

    public static UpstreamMapping Map(string tenant, string provider, ProviderIdentityOptions options, UpstreamClaims claims)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.SubjectConflict)
        {
            return UpstreamMapping.Refused("the upstream's userinfo response names another subject than its ID token");
        }

        return options.Profile switch
        {
            UpstreamProfile.Entra => MapEntra(tenant, provider, options, claims),
            _ => MapGeneric(tenant, provider, options, claims),
        };
    }

    private static UpstreamMapping MapGeneric(string tenant, string provider, ProviderIdentityOptions options, UpstreamClaims claims)
    {
        if (claims.Get(Claims.Subject) is not { } subject)
        {
            return UpstreamMapping.Refused("the upstream sent no subject");
        }

        return UpstreamMapping.Mapped(new UpstreamIdentity(
            tenant, provider, options.Authority, subject,
            claims.Get(Claims.Email), claims.GetBoolean(Claims.EmailVerified), claims.Get(Claims.Name)));
    }

    private static UpstreamMapping MapEntra(string tenant, string provider, ProviderIdentityOptions options, UpstreamClaims claims)
    {
        var tid = claims.Get(TenantIdClaim);
        if (!Guid.TryParse(tid, out var signedInTenant) || !Guid.TryParse(options.TenantId, out var expected) || signedInTenant != expected)
        {
            return UpstreamMapping.Refused($"the sign-in came from another Entra tenant ({(tid is null ? "no tid" : "tid " + tid)})");
        }

        if (claims.Get(ObjectIdClaim) is not { } objectId)
        {
            return UpstreamMapping.Refused("the upstream sent no oid");
        }

        // Entra's email claim is whatever the account's mail attribute says, settable by the account's own
        // administrator in any tenant and never verified: it is not read at all. The user principal name is the
        // directory's own, unique within the tenant checked above.
        var address = claims.Get(Claims.PreferredUsername) ?? claims.Get(UpnClaim);
        return UpstreamMapping.Mapped(new UpstreamIdentity(
            tenant, provider, options.Authority, objectId, address, EmailVerified: address is not null, claims.Get(Claims.Name)));
    }
}

/// <summary>An upstream identity, or the reason the upstream's answer cannot be used.</summary>
internal sealed record UpstreamMapping(UpstreamIdentity? Identity, string? Refusal)
{
    public static UpstreamMapping Mapped(UpstreamIdentity identity) => new(identity, null);

    public static UpstreamMapping Refused(string reason) => new(null, reason);
}
