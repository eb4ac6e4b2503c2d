using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Tests.Shared;

/// <summary>
/// (Compiled into Gateway.Tests, Web.Tests and the benchmarks.) A small OpenIddict server on 127.0.0.1 playing a tenant's upstream identity provider: it signs in whoever
/// <c>login_hint</c> names (with a verified address), without a page. (The identity tests have a fuller one that can
/// cut users off; test projects do not reference each other.)
/// </summary>
internal sealed class SignInUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SignInUpstream(WebApplication app, Uri issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    public Uri Issuer { get; }

    public static async Task<SignInUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Services.AddAuthentication();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
            server.AddEphemeralSigningKey().AddEphemeralEncryptionKey();
            // A stand-in: no client database. The gateway is the one under test.
            server.EnableDegradedMode().DisableTokenStorage().DisableAuthorizationStorage();
            server.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateAuthorizationRequestContext>(h => h.UseInlineHandler(_ => default));
            server.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateTokenRequestContext>(h => h.UseInlineHandler(_ => default));
            server.UseAspNetCore().DisableTransportSecurityRequirement().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough();
        });

        var app = builder.Build();
        app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            var address = request.LoginHint ?? "";
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, "up-" + address).SetClaim(Claims.Email, address).SetClaim(Claims.EmailVerified, true);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapPost("/connect/token", async (HttpContext http) =>
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var principal = result.Principal!;
            principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SignInUpstream(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
