using Continuity.Core.Tenants;
using Continuity.Identity.AppSessions;
using Continuity.Identity.Cutoff;
using OpenIddict.Client.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Federation;

/// <summary>
/// <c>/signin/{tenant}/{provider}</c>: where an upstream sends the browser back. On success the upstream's claims
/// are read by the provider's profile (<see cref="UpstreamProfileMapper"/>), mapped to the gateway account, and
/// the gateway session starts. On failure the login page comes back, with the return URL the user started
/// with and every other sign-in option:
/// <list type="bullet">
/// <item>a refusal at the upstream's token endpoint (back channel, between the gateway and the upstream) is
/// evidence: classified and reported as a cut-off when it is one (<see cref="CutoffReporter"/>);</item>
/// <item>a refusal in the browser's query string is only a hint (<see cref="FrontchannelHints"/>): whoever holds
/// the browser wrote it;</item>
/// <item>an upstream that did not answer in time is said so plainly.</item>
/// </list>
/// Anything unexpected ends on the gateway's own error page with a reference that is also in the log.
/// A return URL on an app host gets a one-time sign-in ticket for that host, since the session cookie set here
/// belongs to the login host only.
/// </summary>
internal static partial class CallbackEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http, string tenant, string provider,
        IssuerDirectory issuers, TenantDirectory tenants, AccountLinker linker, CutoffReporter reporter, FrontchannelHints hints, TimeProvider time,
        AppSessionTickets tickets, IOptions<IdentityOptions> identityOptions, ILoggerFactory loggers, Core.Metrics.ContinuityMetrics metrics)
    {
        if (issuers.FindByTenant(tenant) is not { } issuer || tenants.Find(tenant) is not { } options || options.FindProvider(provider) is not { } providerName)
        {
            return Results.NotFound();
        }

        var logger = loggers.CreateLogger(LoginEndpoints.LogCategory);
        try
        {
            var result = await http.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
            var attempt = http.Items[UpstreamAttempt.ItemKey] as UpstreamAttempt;
            var allowHttp = identityOptions.Value.AllowInsecureHttp;
            var returnUrl = ReturnUrl.Check(result.Properties?.RedirectUri ?? attempt?.ReturnUrl, options, issuer.Issuer, allowHttp) ?? "/";
            var displayName = options.Providers[providerName]?.DisplayName ?? providerName;
            if (!result.Succeeded || result.Principal is null)
            {
                metrics.SignIn(tenant, providerName, "failed");
                var message = await FailureMessageAsync(http, tenant, providerName, displayName, attempt, reporter, hints, logger, result.Failure);
                return LoginPage.Render(issuer, options, returnUrl, attempt?.User, message, StatusCodes.Status403Forbidden, failedProvider: providerName);
            }

            var claims = UpstreamClaims.From(result);
            if (claims.Get(Claims.Private.RegistrationId) != UpstreamRegistrations.RegistrationId(tenant, providerName))
            {
                return Results.BadRequest();
            }

            var mapping = UpstreamProfileMapper.Map(tenant, providerName, options.Providers[providerName]!.Identity!, claims);
            if (mapping.Identity is not { } upstream)
            {
                metrics.SignIn(tenant, providerName, "refused");
                Log.Refused(logger, tenant, providerName, mapping.Refusal!);
                return LoginPage.Render(issuer, options, returnUrl, attempt?.User,
                    $"{displayName} signed you in with an account this organisation does not accept. Contact your administrator, or use another sign-in option below.",
                    StatusCodes.Status403Forbidden, failedProvider: providerName);
            }

            var link = await linker.ResolveAsync(upstream, http.RequestAborted);
            if (link.Account is not { } account)
            {
                metrics.SignIn(tenant, providerName, "refused");
                return LoginPage.Render(issuer, options, returnUrl, attempt?.User ?? upstream.Email,
                    "This sign-in cannot be used for this organisation's account. Contact your administrator.", StatusCodes.Status403Forbidden, failedProvider: providerName);
            }

            var session = SessionFor(account, upstream, tenant, providerName, time);
            await http.SignInAsync(IdentityDefaults.CookieScheme, session);
            metrics.SignIn(tenant, providerName, "succeeded");
            http.Response.Headers.CacheControl = "no-store";
            return Results.Redirect(ReturnUrl.IsApp(returnUrl) ? tickets.RedirectFor(tenant, new Uri(returnUrl), session) : returnUrl);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            var reference = http.TraceIdentifier;
            metrics.SignIn(tenant, providerName, "error");
            Log.Failed(logger, tenant, providerName, reference, e);
            return LoginPage.Failed(reference);
        }
    }

    private static async Task<string> FailureMessageAsync(
        HttpContext http, string tenant, string provider, string displayName, UpstreamAttempt? attempt,
        CutoffReporter reporter, FrontchannelHints hints, ILogger logger, Exception? failure)
    {
        if (attempt is not { Error: { } error } || attempt.RegistrationId != UpstreamRegistrations.RegistrationId(tenant, provider))
        {
            Log.NotCompleted(logger, tenant, provider, failure?.Message ?? "no upstream answer");
            return attempt?.RegistrationId is null
                ? "The sign-in did not complete. Try again, or use another sign-in option below."
                : $"{displayName} did not complete the sign-in in time. Use another sign-in option below, or try again later.";
        }

        var kind = error.Where == "token"
            ? await reporter.ReportAsync(tenant, provider, attempt.User, error, http.RequestAborted)
            : await hints.RecordAsync(tenant, provider, attempt.User, error, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        return kind is CutoffClass.PerUser or CutoffClass.Tenant or CutoffClass.Policy
            ? $"{displayName} refused the sign-in. Use another sign-in option below."
            : "The sign-in did not complete. Try again, or use another sign-in option below.";
    }

    private static ClaimsPrincipal SessionFor(Account account, UpstreamIdentity upstream, string tenant, string provider, TimeProvider time)
    {
        var identity = new ClaimsIdentity(IdentityDefaults.CookieScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, account.Id));
        identity.AddClaim(new Claim(Claims.Email, account.Email));
        identity.AddClaim(new Claim(IdentityDefaults.TenantClaim, tenant));
        identity.AddClaim(new Claim(IdentityDefaults.ProviderClaim, provider));
        identity.AddClaim(new Claim(IdentityDefaults.SessionStartedClaim, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if ((account.Name ?? upstream.Name) is { Length: > 0 } name)
        {
            identity.AddClaim(new Claim(Claims.Name, name));
        }

        identity.AddClaim(new Claim(AppSessionClaims.SessionId, AppSessionClaims.NewSessionId()));
        return new ClaimsPrincipal(identity);
    }
}
