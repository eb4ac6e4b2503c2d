using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Testing.Identity;

/// <summary>
/// A small OpenIddict server on 127.0.0.1 playing an upstream identity provider ("primary" as Entra,
/// "sovereign" as Keycloak). It signs in whoever <c>login_hint</c> names, without a page: one of its
/// <see cref="Users"/>, or anyone (as <c>up-&lt;address&gt;</c> with a verified address) when started
/// without a user list. It can refuse a user the way Entra does: a front-channel <c>error</c> with
/// <c>AADSTSnnnnn</c> in the description, or a token-endpoint error with <c>error_codes</c>.
/// (Acceptance tests use the independent oidc-provider instead: <see cref="OidcUpstream"/>.)
/// </summary>
public sealed class StandInUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _handlerTicks;

    private StandInUpstream(WebApplication app, Uri issuer, IReadOnlyDictionary<string, UpstreamUser>? users)
    {
        _app = app;
        Issuer = issuer;
        Users = users;
    }

    public Uri Issuer { get; }

    /// <summary>The users it knows by login hint; null: it signs in anyone.</summary>
    public IReadOnlyDictionary<string, UpstreamUser>? Users { get; }

    /// <summary>Users this upstream refuses now, by login hint.</summary>
    public ConcurrentDictionary<string, UpstreamRefusal> Refusals { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Time spent inside this upstream's request pipeline so far (the benchmark subtracts it from the gateway's).</summary>
    public TimeSpan HandlerTime => TimeSpan.FromTicks(Interlocked.Read(ref _handlerTicks));

    /// <summary>Every login hint that completed a login here (codes redeemed), in order.</summary>
    public ConcurrentQueue<string> Logins { get; } = new();

    /// <summary>An upstream that signs in any address it is asked for, as <c>up-&lt;address&gt;</c>, address verified.</summary>
    public static Task<StandInUpstream> StartAsync() => StartAsync(null);

    /// <summary>An upstream that knows <paramref name="users"/> (by login hint) and refuses everyone else.</summary>
    public static async Task<StandInUpstream> StartAsync(IReadOnlyDictionary<string, UpstreamUser>? users)
    {
        var builder = LoopbackApp.CreateBuilder();
        if (Environment.GetEnvironmentVariable("IDENTITY_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }

        builder.Services.AddAuthentication();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
            server.AddSigningKey(new RsaSecurityKey(TestKeys.Signing) { KeyId = "upstream-sig" });
            server.AddEncryptionKey(new RsaSecurityKey(TestKeys.Encryption) { KeyId = "upstream-enc" });
            // A stand-in: no client database. The gateway's own server is the one under test.
            server.EnableDegradedMode().DisableTokenStorage().DisableAuthorizationStorage();
            server.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateAuthorizationRequestContext>(h => h.UseInlineHandler(_ => default));
            server.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ValidateTokenRequestContext>(h => h.UseInlineHandler(_ => default));
            server.UseAspNetCore().DisableTransportSecurityRequirement()
                .EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough();
        });

        StandInUpstream? self = null;
        var app = builder.Build();
        app.Use(async (http, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await next(http);
            }
            finally
            {
                Interlocked.Add(ref self!._handlerTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
            }
        });
        app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpContext http) => self!.Authorize(http));
        app.MapPost("/connect/token", (Func<HttpContext, Task<IResult>>)(http => self!.TokenAsync(http)));
        self = new StandInUpstream(app, await LoopbackApp.StartAsync(app), users);
        return self;
    }

    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()!;
        var hint = request.LoginHint ?? "";
        if (Find(hint) is not { } user)
        {
            return Refuse("access_denied", "AADSTS50034: The user account does not exist in this directory.");
        }

        if (Refusals.TryGetValue(hint, out var refusal) && !refusal.AtTokenEndpoint)
        {
            return Refuse(refusal.Error, $"AADSTS{refusal.Code}: The user is not allowed to sign in. Trace ID: 0000");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, user.EmailVerified).SetClaim(Claims.Name, user.Name)
            .SetClaim("hint", hint);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private UpstreamUser? Find(string hint) =>
        Users is null ? new UpstreamUser("up-" + hint, hint, true) : Users.GetValueOrDefault(hint);

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal!;
        var hint = principal.GetClaim("hint") ?? "";
        if (Refusals.TryGetValue(hint, out var refusal) && refusal.AtTokenEndpoint)
        {
            // Entra's shape: error, AADSTS in the description, and the numeric error_codes array.
            return Results.Json(new Dictionary<string, object>
            {
                ["error"] = "invalid_grant",
                ["error_description"] = $"AADSTS{refusal.Code}: The user account is disabled. Trace ID: 0000",
                ["error_codes"] = new[] { long.Parse(refusal.Code, System.Globalization.CultureInfo.InvariantCulture) },
            }, statusCode: 400);
        }

        Logins.Enqueue(hint);
        principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
