using System.Security.Claims;
using Continuity.Core.Tenants;
using Continuity.Identity.Accounts;
using Continuity.Identity.AppSessions;
using Continuity.Identity.Configuration;
using Continuity.Identity.Cutoff;
using Continuity.Identity.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Client.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Federation;

/// <summary>
/// <c>/signin/{tenant}/{provider}</c>: where an upstream sends the browser back. On success the
/// upstream identity is mapped to the gateway account and the gateway session starts; on an upstream
/// refusal the error is classified (and reported as a cut-off when it is one) and the login page is
/// shown again with the other providers' buttons. A return URL on an app host gets a one-time sign-in
/// ticket for that host, since the session cookie set here belongs to the login host only.
/// </summary>
internal static class CallbackEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http, string tenant, string provider,
        IssuerDirectory issuers, TenantDirectory tenants, AccountLinker linker, CutoffReporter reporter, TimeProvider time,
        AppSessionTickets tickets, IOptions<IdentityOptions> identityOptions)
    {
        var result = await http.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        if (issuers.FindByTenant(tenant) is not { } issuer || tenants.Find(tenant) is not { } options || options.FindProvider(provider) is not { } providerName)
        {
            return Results.NotFound();
        }

        var attempt = http.Items[UpstreamAttempt.ItemKey] as UpstreamAttempt;
        var expected = UpstreamRegistrations.RegistrationId(tenant, providerName);
        if (!result.Succeeded || result.Principal is not { } principal)
        {
            var message = "The sign-in did not complete. Try again, or use another sign-in option below.";
            if (attempt is { Error: { } error } && attempt.RegistrationId == expected)
            {
                var kind = await reporter.ReportAsync(tenant, providerName, attempt.User, error, http.RequestAborted);
                message = kind is CutoffClass.PerUser or CutoffClass.Tenant or CutoffClass.Policy
                    ? $"{options.Providers[providerName].DisplayName ?? providerName} refused the sign-in. Use another sign-in option below."
                    : message;
            }

            return LoginPage.Render(issuer, options, "/", attempt?.User, message, StatusCodes.Status403Forbidden);
        }

        if (principal.GetClaim(Claims.Private.RegistrationId) != expected)
        {
            return Results.BadRequest();
        }

        var upstream = new UpstreamIdentity(
            tenant, providerName, options.Providers[providerName].Identity!.Authority,
            principal.GetClaim(Claims.Subject) ?? "",
            principal.GetClaim(Claims.Email),
            bool.TryParse(principal.GetClaim(Claims.EmailVerified), out var verified) && verified,
            principal.GetClaim(Claims.Name));
        if (upstream.Subject.Length == 0)
        {
            return Results.BadRequest();
        }

        var link = await linker.ResolveAsync(upstream);
        if (link.Account is not { } account)
        {
            return LoginPage.Render(issuer, options, "/", upstream.Email, "This sign-in cannot be used for this organisation's account. Contact your administrator.", StatusCodes.Status403Forbidden);
        }

        var identity = new ClaimsIdentity(IdentityDefaults.CookieScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, account.Id));
        identity.AddClaim(new Claim(Claims.Email, account.Email));
        identity.AddClaim(new Claim(IdentityDefaults.TenantClaim, tenant));
        identity.AddClaim(new Claim(IdentityDefaults.ProviderClaim, providerName));
        identity.AddClaim(new Claim(IdentityDefaults.SessionStartedClaim, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if ((account.Name ?? upstream.Name) is { Length: > 0 } name)
        {
            identity.AddClaim(new Claim(Claims.Name, name));
        }

        identity.AddClaim(new Claim(AppSessionClaims.SessionId, AppSessionClaims.NewSessionId()));
        var session = new ClaimsPrincipal(identity);
        await http.SignInAsync(IdentityDefaults.CookieScheme, session);
        // The return URL was checked at the login page and travelled protected in the state token; checked again all the same.
        var target = ReturnUrl.Check(result.Properties?.RedirectUri, options, issuer.Issuer, identityOptions.Value.AllowInsecureHttp) ?? "/";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(ReturnUrl.IsApp(target) ? tickets.RedirectFor(tenant, new Uri(target), session) : target);
    }
}
