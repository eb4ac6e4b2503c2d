using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Continuity.Identity.Federation;
using Continuity.Identity.Tenants;
using Microsoft.AspNetCore.WebUtilities;

namespace Continuity.Gateway.Drills;

/// <summary>
/// A drill's sign-in of a test user at an upstream, on the back channel: the authorization code flow with the
/// gateway's own registration there (client id and secret, its callback as redirect URI, PKCE, <c>login_hint</c>),
/// redirects followed with a cookie jar until the upstream sends the browser back to the callback — which this never
/// calls: the code is redeemed here and the ID token read, so no gateway session, link or token is made. An upstream
/// that shows a sign-in page (a password to type) cannot be drilled this way; that is reported, not guessed around.
/// </summary>
internal sealed class UpstreamSignIn(IssuerDirectory issuers)
{
    private const int MaxRedirects = 12;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>The upstream's answer: the stable upstream identity (Entra: <c>oid</c>; else <c>sub</c>) and the address it offers.</summary>
    public sealed record Result(bool Signed, bool Interactive, string? Subject, string? Address, string Message);

    public async Task<Result> SignInAsync(string tenant, string provider, ProviderIdentityOptions upstream, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (issuers.FindByTenant(tenant) is not { } issuer)
        {
            return new(false, false, null, null, $"tenant '{tenant}' has no issuer (Identity:Tenants:{tenant}:Issuer or Hosts:Login): no callback to name");
        }

        var redirect = new Uri(issuer.Issuer, UpstreamRegistrations.CallbackPath(tenant, provider).TrimStart('/')).AbsoluteUri;
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true };
        using var http = new HttpClient(handler) { Timeout = Timeout };
        var stage = "discovery";
        try
        {
            using var discovery = JsonDocument.Parse(await http.GetStringAsync(new Uri(upstream.Authority.TrimEnd('/') + "/.well-known/openid-configuration"), cancellationToken).ConfigureAwait(false));
            var authorize = discovery.RootElement.GetProperty("authorization_endpoint").GetString()!;
            var tokenEndpoint = discovery.RootElement.GetProperty("token_endpoint").GetString()!;

            var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
            var state = Base64Url(RandomNumberGenerator.GetBytes(16));
            var url = QueryHelpers.AddQueryString(authorize, new Dictionary<string, string?>
            {
                ["response_type"] = "code",
                ["client_id"] = upstream.ClientId,
                ["redirect_uri"] = redirect,
                ["scope"] = "openid email profile",
                ["state"] = state,
                ["nonce"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
                ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
                ["code_challenge_method"] = "S256",
                ["login_hint"] = user,
            });

            stage = "authorization";
            string? code = null;
            for (var hop = 0; hop < MaxRedirects && code is null; hop++)
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is not { } location)
                {
                    return (int)response.StatusCode == 200
                        ? new(false, true, null, null, $"the upstream showed a sign-in page at {new Uri(url).GetLeftPart(UriPartial.Path)}: it wants a person to sign in, so a drill cannot")
                        : new(false, false, null, null, $"the upstream answered {(int)response.StatusCode} at {new Uri(url).GetLeftPart(UriPartial.Path)}");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(new Uri(url), location);
                if (!next.AbsoluteUri.StartsWith(redirect, StringComparison.Ordinal))
                {
                    url = next.AbsoluteUri;
                    continue;
                }

                var query = QueryHelpers.ParseQuery(next.Query);
                if (query.TryGetValue("error", out var error))
                {
                    return new(false, false, null, null, $"the upstream refused the sign-in: {error} {query.GetValueOrDefault("error_description")}".TrimEnd());
                }

                if (query.GetValueOrDefault("state").ToString() != state)
                {
                    return new(false, false, null, null, "the upstream sent back another state than the drill's");
                }

                code = query.GetValueOrDefault("code").ToString();
            }

            if (string.IsNullOrEmpty(code))
            {
                return new(false, false, null, null, $"no code after {MaxRedirects} redirects");
            }

            stage = "token";
            using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "authorization_code",
                    ["code"] = code,
                    ["redirect_uri"] = redirect,
                    ["code_verifier"] = verifier,
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
                $"{Uri.EscapeDataString(upstream.ClientId ?? "")}:{Uri.EscapeDataString(upstream.ClientSecret ?? "")}")));
            using var token = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await token.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(body);
            if (!token.IsSuccessStatusCode || !json.RootElement.TryGetProperty("id_token", out var idToken))
            {
                var error = json.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
                return new(false, false, null, null, $"the token endpoint answered {(int)token.StatusCode} {error}".TrimEnd());
            }

            // Straight from the token endpoint over the back channel: the ID token's claims are the upstream's word
            // (OpenID Connect Core 3.1.3.7, item 6); only the claims the profile names are read.
            var parts = idToken.GetString()!.Split('.');
            using var claims = JsonDocument.Parse(Base64UrlDecode(parts.Length == 3 ? parts[1] : ""));
            var root = claims.RootElement;
            string? Claim(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return upstream.Profile == UpstreamProfile.Entra
                ? new(true, false, Claim(UpstreamProfileMapper.ObjectIdClaim), Claim("preferred_username") ?? Claim(UpstreamProfileMapper.UpnClaim), "signed in")
                : new(true, false, Claim("sub"), root.TryGetProperty("email_verified", out var verified) && verified.ValueKind == JsonValueKind.True ? Claim("email") : null, "signed in");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or UriFormatException)
        {
            return new(false, false, null, null, $"{stage}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(false, false, null, null, $"{stage}: no answer within {Timeout.TotalSeconds:0} s");
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
