using Continuity.Identity.Stores;
using Microsoft.AspNetCore;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Server;

/// <summary>
/// The token endpoint after OpenIddict validated the client and the grant: codes and refresh tokens
/// are re-issued for the same account (if it still exists); client credentials get the client as subject.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, AccountStore accounts, ApplicationCatalog clients, IOpenIddictScopeManager scopes)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var principal = result.Principal ?? throw new InvalidOperationException("OpenIddict validated the grant but gave no principal.");
            var tenant = principal.GetClaim(IdentityDefaults.TenantClaim);
            var subject = principal.GetClaim(Claims.Subject);
            if (tenant is null || subject is null || await accounts.FindByIdAsync(tenant, subject, http.RequestAborted) is null)
            {
                return AuthorizationEndpoint.Forbid(Errors.InvalidGrant, "The account no longer exists.");
            }

            var identity = GatewayClaims.FromSession(principal, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            identity.SetScopes(principal.GetScopes());
            identity.SetResources(principal.GetResources());
            identity.SetDestinations(GatewayClaims.DestinationsOf);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsClientCredentialsGrantType())
        {
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            if (clients.ById.GetValueOrDefault(request.ClientId!)?.Tenant is { } clientTenant)
            {
                identity.SetClaim(IdentityDefaults.TenantClaim, clientTenant);
            }

            identity.SetScopes(request.GetScopes());
            var resources = new List<string>();
            await foreach (var resource in scopes.ListResourcesAsync(identity.GetScopes()))
            {
                resources.Add(resource);
            }

            identity.SetResources(resources);
            identity.SetDestinations(static _ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return AuthorizationEndpoint.Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }
}
