using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Continuity.Core.Credentials;
using Continuity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Continuity.Benchmarks;

/// <summary>
/// The reference for the client-credentials figure: a minimal ASP.NET Core endpoint on 127.0.0.1 that
/// only checks the client secret against the same <c>sha256:</c> hash the gateway is configured with and
/// signs a JWT access token (same claims, same RSA key, RS256). No OpenIddict, no state store: the ratio
/// to it is what OpenIddict's pipeline and the token store cost.
/// </summary>
internal sealed class TokenPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TokenPeer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<TokenPeer> StartAsync(RSA signingKey, string clientId, string secretHash, string issuer, string audience)
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var credentials = new SigningCredentials(new RsaSecurityKey(signingKey) { KeyId = "peer-sig" }, SecurityAlgorithms.RsaSha256);
        var handler = new JsonWebTokenHandler();
        app.MapPost("/token", async (HttpContext http) =>
        {
            if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header) || header.Scheme != "Basic" || header.Parameter is null)
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }

            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
            var form = await http.Request.ReadFormAsync();
            if (pair.Length != 2 || Uri.UnescapeDataString(pair[0]) != clientId || !SecretHash.Matches(Uri.UnescapeDataString(pair[1]), secretHash))
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }

            if (form["grant_type"] != "client_credentials")
            {
                return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
            }

            var now = DateTime.UtcNow;
            var token = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = audience,
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddMinutes(15),
                SigningCredentials = credentials,
                TokenType = "at+jwt",
                Claims = new Dictionary<string, object>
                {
                    ["sub"] = clientId,
                    ["client_id"] = clientId,
                    ["tenant"] = "demo",
                    ["scope"] = form["scope"].ToString(),
                    ["jti"] = Guid.NewGuid().ToString("N"),
                },
            });
            return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 900, scope = form["scope"].ToString() });
        });
        return new TokenPeer(app, await LoopbackApp.StartAsync(app));
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
