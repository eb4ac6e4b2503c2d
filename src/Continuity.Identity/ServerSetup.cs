using Continuity.Identity.Server;
using OpenIddict.Server;
using Microsoft.Extensions.DependencyInjection;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity;

/// <summary>The OpenIddict server: endpoints, flows, lifetimes. Keys come from <see cref="Keys.ConfigureKeys"/>.</summary>
internal static class ServerSetup
{
    public static void Configure(OpenIddictServerBuilder server, IdentityOptions settings)
    {
        server.SetAuthorizationEndpointUris("connect/authorize")
            .SetPushedAuthorizationEndpointUris("connect/par")
            .SetTokenEndpointUris("connect/token")
            .SetUserInfoEndpointUris("connect/userinfo")
            .SetEndSessionEndpointUris("connect/endsession")
            .SetRevocationEndpointUris("connect/revoke")
            .SetIntrospectionEndpointUris("connect/introspect");

        server.AllowAuthorizationCodeFlow()
            .AllowRefreshTokenFlow()
            .AllowClientCredentialsFlow()
            .RequireProofKeyForCodeExchange();

        server.RegisterScopes([Scopes.OpenId, Scopes.Email, Scopes.Profile, Scopes.OfflineAccess, .. settings.Scopes.Keys]);
        server.RegisterClaims(Claims.Subject, Claims.Email, Claims.EmailVerified, Claims.Name, Claims.PreferredUsername, IdentityDefaults.TenantClaim);

        var lifetimes = settings.Lifetimes;
        server.SetAuthorizationCodeLifetime(lifetimes.AuthorizationCode)
            .SetAccessTokenLifetime(lifetimes.AccessToken)
            .SetIdentityTokenLifetime(lifetimes.IdentityToken)
            .SetRefreshTokenLifetime(lifetimes.RefreshToken)
            // Zero means none: OpenIddict treats a zero leeway as a window (reusable while "now" is before the
            // redemption instant, i.e. on a node whose clock lags the redeeming node's), null as single use.
            .SetRefreshTokenReuseLeeway(lifetimes.RefreshTokenReuseLeeway > TimeSpan.Zero ? lifetimes.RefreshTokenReuseLeeway : null);

        // Codes and refresh tokens are claimed with one compare-and-set in the state store; a lost claim is refused.
        server.RemoveEventHandler(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor)
            .AddEventHandler(RedeemTokenOnce.Descriptor);

        // Resource servers (the gateway's own IMAP/SMTP OAUTHBEARER, web apps) validate access tokens with the JWKS.
        server.DisableAccessTokenEncryption();

        var aspnet = server.UseAspNetCore()
            .EnableAuthorizationEndpointPassthrough()
            .EnableTokenEndpointPassthrough()
            .EnableUserInfoEndpointPassthrough()
            .EnableEndSessionEndpointPassthrough();
        if (settings.AllowInsecureHttp)
        {
            aspnet.DisableTransportSecurityRequirement();
        }
    }
}
