using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Continuity.Testing;

/// <summary>
/// A real relying party: ASP.NET Core's OpenIdConnect handler (code flow, PKCE, id_token signature,
/// issuer and nonce validation) against the gateway. <c>/me</c> shows what it received.
/// </summary>
public sealed class RelyingParty : IAsyncDisposable
{
    public const string ClientId = "webapp";
    public const string ClientSecret = "rp-secret-0123456789-0123456789-0123456789";

    private readonly WebApplication _app;

    private RelyingParty(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public Uri RedirectUri => new(BaseUri, "signin-oidc");

    /// <param name="scopes">Scopes asked for beyond <c>openid email profile</c> (e.g. <c>offline_access</c> for a refresh token).</param>
    public static async Task<RelyingParty> StartAsync(int port, Uri issuer, IEnumerable<string>? scopes = null)
    {
        var builder = LoopbackApp.CreateBuilder(port);
        builder.Services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
        })
        .AddCookie(o => o.Cookie.Name = "rp_session")
        .AddOpenIdConnect(o =>
        {
            o.Authority = issuer.AbsoluteUri;
            o.RequireHttpsMetadata = false;
            o.ClientId = ClientId;
            o.ClientSecret = ClientSecret;
            o.ResponseType = "code";
            o.ResponseMode = "query";
            o.UsePkce = true;
            o.Scope.Add("email");
            o.Scope.Add("profile");
            foreach (var scope in scopes ?? [])
            {
                o.Scope.Add(scope);
            }

            o.MapInboundClaims = false;
            o.SaveTokens = true;
            o.GetClaimsFromUserInfoEndpoint = true;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
        });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", async (HttpContext http) =>
        {
            var user = http.User;
            var idToken = await http.GetTokenAsync("id_token");
            return Results.Json(new RelyingPartyView(
                Issuer: user.FindFirst("sub")?.Issuer,
                Subject: user.FindFirst("sub")?.Value,
                Email: user.FindFirst("email")?.Value,
                Tenant: user.FindFirst("tenant")?.Value,
                IdToken: idToken,
                AccessToken: await http.GetTokenAsync("access_token"),
                RefreshToken: await http.GetTokenAsync("refresh_token")));
        }).RequireAuthorization();
        return new RelyingParty(app, await LoopbackApp.StartAsync(app));
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}

/// <summary>What the relying party knows about the signed-in user, and the tokens it saved (a refresh token only with <c>offline_access</c>).</summary>
public sealed record RelyingPartyView(string? Issuer, string? Subject, string? Email, string? Tenant, string? IdToken, string? AccessToken = null, string? RefreshToken = null);
