using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Continuity.Identity.Tests.Support;

/// <summary>Raw OAuth/OIDC requests for the protocol tests: PKCE pairs, authorize URLs, token endpoint posts.</summary>
internal static class OidcProtocol
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static Uri AuthorizeUrl(Uri issuer, string clientId, string redirectUri, string? challenge, string scope = "openid email offline_access")
    {
        var query = new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = scope,
            ["state"] = "s" + Guid.NewGuid().ToString("N")[..8],
            ["nonce"] = "n" + Guid.NewGuid().ToString("N")[..8],
        };
        if (challenge is not null)
        {
            query["code_challenge"] = challenge;
            query["code_challenge_method"] = "S256";
        }

        return new Uri(issuer, "connect/authorize?" + string.Join("&", query.Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value))));
    }

    /// <summary>Signs <paramref name="address"/> in through the gateway (a fresh browser) and returns the code sent to the redirect URI.</summary>
    public static async Task<(string Code, string Verifier)> CodeAsync(IdentityWorld world, string address, string clientId, string redirectUri)
    {
        var (verifier, challenge) = Pkce();
        using var browser = new Browser();
        var page = await browser.NavigateAsync(AuthorizeUrl(world.Issuer, clientId, redirectUri, challenge), address, stopAt: redirectUri);
        var code = page.Query("code");
        Assert.True(code is not null, $"no code: {page.Status} {page.Url} {page.Body[..Math.Min(400, page.Body.Length)]}");
        return (code!, verifier);
    }

    public static async Task<TokenReply> TokenAsync(Uri node, IDictionary<string, string> form, (string Id, string Secret)? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "connect/token")) { Content = new FormUrlEncodedContent(form) };
        if (basic is { } credentials)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(credentials.Id) + ":" + Uri.EscapeDataString(credentials.Secret))));
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body.Length > 0 ? body : "{}");
        string? Get(string name) => json.RootElement.TryGetProperty(name, out var v) ? v.ToString() : null;
        return new TokenReply(response.StatusCode, Get("error"), Get("access_token"), Get("id_token"), Get("refresh_token"), body);
    }

    public static Task<TokenReply> RedeemAsync(Uri node, string code, string verifier, string clientId, string redirectUri, string? secret = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
        };
        return TokenAsync(node, form, secret is null ? null : (clientId, secret));
    }

    public static Task<TokenReply> RefreshAsync(Uri node, string refreshToken, string clientId, string? secret = null) =>
        TokenAsync(node, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId },
            secret is null ? null : (clientId, secret));

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri url, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<(HttpStatusCode Status, string Body)> PostFormAsync(Uri url, IDictionary<string, string> form)
    {
        using var response = await Http.PostAsync(url, new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The payload of a signed JWT (the gateway's access and identity tokens are not encrypted).</summary>
    public static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1])).RootElement.Clone();
}

internal sealed record TokenReply(HttpStatusCode Status, string? Error, string? AccessToken, string? IdToken, string? RefreshToken, string Body);
