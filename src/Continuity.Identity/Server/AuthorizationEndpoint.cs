using Microsoft.AspNetCore;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Server;

/// <summary>
/// The authorization endpoint after OpenIddict validated the request (client, redirect URI, PKCE):
/// without a gateway session for this tenant it sends the browser to the login page; with one it
/// issues a code for the gateway account.
/// </summary>
internal static class AuthorizationEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, IssuerDirectory issuers, IOpenIddictScopeManager scopes)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (issuers.FindByHost(http.Request.Host.Host) is not { } tenant)
        {
            return Forbid(Errors.InvalidRequest, "This host serves no tenant.");
        }

        var session = await http.AuthenticateAsync(IdentityDefaults.CookieScheme);
        var signedIn = session.Succeeded && session.Principal?.FindFirst(IdentityDefaults.TenantClaim)?.Value == tenant.TenantId;
        if (signedIn && request.HasPromptValue(PromptValues.Login) && !http.Request.Query.ContainsKey("continuity_prompted"))
        {
            signedIn = false;
        }

        if (!signedIn)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back here after the login page; the marker keeps prompt=login from looping.
            var returnUrl = http.Request.PathBase + http.Request.Path + QueryString.Create(
                http.Request.Query.Where(q => q.Key != "continuity_prompted").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
                    .Append(KeyValuePair.Create("continuity_prompted", (string?)"1")));
            return Results.Redirect($"{IdentityDefaults.LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        var identity = GatewayClaims.FromSession(session.Principal!, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        identity.SetScopes(request.GetScopes());
        var resources = new List<string>();
        await foreach (var resource in scopes.ListResourcesAsync(identity.GetScopes()))
        {
            resources.Add(resource);
        }

        identity.SetResources(resources);
        identity.SetDestinations(GatewayClaims.DestinationsOf);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    internal static IResult Forbid(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
