using Continuity.Identity.AppSessions;
using Continuity.Identity.Federation;
using Continuity.Identity.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Continuity.Identity;

public static class IdentityEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The login page, the app hosts' sign-in ticket endpoint, the upstream callbacks and the OIDC passthrough endpoints (discovery, JWKS,
    /// revocation, introspection and PAR are answered by OpenIddict itself in the authentication middleware).
    /// </summary>
    public static IEndpointRouteBuilder MapContinuityIdentity(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(IdentityDefaults.LoginPath, LoginEndpoints.ShowAsync).AllowAnonymous();
        // On app hosts, before the proxy's catch-all route (order -1): the one path there that is the gateway's.
        endpoints.MapGet(AppSessionTickets.Path, AppSessionEndpoint.HandleAsync).AllowAnonymous().WithOrder(-2);
        endpoints.MapPost(SignOutEndpoint.Path, SignOutEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery().WithOrder(-2);
        endpoints.MapPost(IdentityDefaults.LoginPath, LoginEndpoints.SubmitAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapMethods($"/{UpstreamRegistrations.CallbackPrefix}/{{tenant}}/{{provider}}", ["GET", "POST"], CallbackEndpoint.HandleAsync)
            .AllowAnonymous().DisableAntiforgery();

        endpoints.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizationEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapPost("/connect/token", TokenEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapMethods("/connect/userinfo", ["GET", "POST"], (Func<HttpContext, Task<IResult>>)UserinfoEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapMethods("/connect/endsession", ["GET", "POST"], (Func<HttpContext, AppSessions.SessionEnds, Task<IResult>>)EndSessionEndpoint.HandleAsync).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }
}
