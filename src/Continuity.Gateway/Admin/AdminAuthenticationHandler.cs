using System.Security.Claims;
using System.Text.Encodings.Web;
using Continuity.Identity.AdminSignIn;
using Continuity.Identity.Configuration;
using Continuity.Identity.Validation;
using Microsoft.AspNetCore.Authentication;

namespace Continuity.Gateway.Admin;

/// <summary>
/// The admin API's one authentication scheme: <b>one request, one identity</b>. It looks at which credentials the
/// request presents (an API key in <c>X-Api-Key</c> or <c>Authorization: Bearer &lt;key&gt;</c>, an access token of the
/// gateway's own server in <c>Authorization: Bearer &lt;jwt&gt;</c>, the gateway's session cookie) and refuses a request
/// that presents more than one (400), valid or not: the old policy authenticated every scheme and merged what succeeded,
/// so the demo Operator key plus any user's cookie gave the user's name and tenant with the key's role (issue 16, item 1).
/// With exactly one credential, that credential's scheme authenticates the request and its single identity is the
/// principal: name, tenant and role all come from it. A cookie-borne change must also pass <see cref="AdminCsrf"/> (403).
/// </summary>
internal sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<IdentityOptions> identity,
    IOptions<ContinuityOptions> continuity)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ContinuityAdmin";

    /// <summary>How the request was authenticated: <c>api-key</c>, <c>bearer</c> or <c>cookie</c> (one of <see cref="AdminCredential"/>).</summary>
    public const string MethodClaim = "continuity:auth";

    private static readonly object RefusalKey = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = AdminCredentials.Presented(Request, identity.CurrentValue.CookieName);
        if (presented.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (presented.Count > 1)
        {
            return Refuse(StatusCodes.Status400BadRequest, "One credential per request",
                $"This request presents {AdminCredentials.Describe(presented)}. The admin API takes exactly one: an API key, an access token or the session cookie, never two (name, tenant and role all come from that one).");
        }

        var credential = presented[0];
        if (credential == AdminCredential.Cookie && AdminCsrf.Check(Request) is { } csrf)
        {
            return Refuse(StatusCodes.Status403Forbidden, "Forbidden", csrf);
        }

        var inner = await Context.AuthenticateAsync(credential switch
        {
            AdminCredential.ApiKey => ApiKeyAuthenticationHandler.SchemeName,
            AdminCredential.Bearer => TokenValidationDefaults.AdminBearerScheme,
            _ => AdminSignInDefaults.Scheme,
        });
        if (!inner.Succeeded)
        {
            return inner.Failure is { } failure ? AuthenticateResult.Fail(failure) : AuthenticateResult.NoResult();
        }

        // Exactly the one identity that scheme made, and nothing else: no claim can come from anywhere else.
        var source = inner.Principal.Identities.Single(i => i.IsAuthenticated);
        // The cookie of an app host (a proxied app's origin) is no admin session: a script of that app could send the
        // anti-forgery header from its own origin. Admins use the API with the cookie on their tenant's login host only.
        if (credential == AdminCredential.Cookie
            && source.FindFirst(ApiKeyAuthenticationHandler.TenantClaim)?.Value is { } tenant
            && continuity.Value.Tenants.GetValueOrDefault(tenant)?.Hosts.Login is { Length: > 0 } login
            && !string.Equals(Request.Host.Host, login, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(StatusCodes.Status403Forbidden, "Forbidden",
                $"The admin API takes the session cookie only on the login host '{login}', not on '{Request.Host.Host}'.");
        }

        var claims = source.Claims.Where(c => c.Type is ClaimTypes.Name or ApiKeyAuthenticationHandler.TenantClaim or ApiKeyAuthenticationHandler.RoleClaim)
            .Select(c => new Claim(c.Type, c.Value))
            .Append(new Claim(MethodClaim, AdminCredentials.Name(credential)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RefusalKey] is Refusal refusal)
        {
            return WriteAsync(refusal.Status, refusal.Title, refusal.Detail);
        }

        Response.Headers.WWWAuthenticate = "Bearer realm=\"continuity-admin\"";
        return WriteAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            "An admin credential is required: an API key (Authorization: Bearer <key> or X-Api-Key), an admin access token, or an admin's session cookie.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteAsync(StatusCodes.Status403Forbidden, "Forbidden", $"'{Context.User.Identity?.Name}' is not an admin.");

    private AuthenticateResult Refuse(int status, string title, string detail)
    {
        Context.Items[RefusalKey] = new Refusal(status, title, detail);
        return AuthenticateResult.Fail(detail);
    }

    private Task WriteAsync(int status, string title, string detail)
    {
        if (Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        Response.StatusCode = status;
        return Response.WriteAsJsonAsync(new { type = "about:blank", title, status, detail }, options: null, contentType: "application/problem+json");
    }

    private sealed record Refusal(int Status, string Title, string Detail);
}
