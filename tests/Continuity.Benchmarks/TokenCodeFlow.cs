using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Continuity.Testing.Identity;
using Microsoft.IdentityModel.Tokens;

namespace Continuity.Benchmarks;

/// <summary>Where one authorization-code flow spent its time, in milliseconds.</summary>
internal sealed record TokenFlowTiming(double TotalMs, double GatewayMs, double UpstreamMs, string? RefreshToken);

/// <summary>
/// One full authorization-code flow as a browser and a native client drive it: authorize → login page →
/// address posted → the stand-in upstream's authorize → the gateway's callback (which redeems the upstream
/// code over the back channel) → authorize again with the new session → code → token endpoint. Each hop is
/// timed; a hop to the gateway counts for the gateway less the time the upstream's handlers ran meanwhile
/// (the back-channel token call), a hop to the upstream counts for the upstream. Flows run one at a time,
/// so the upstream's handler clock attributes exactly. The client's own work between hops counts for neither.
/// </summary>
internal sealed partial class TokenCodeFlow(Uri gateway, IReadOnlyList<StandInUpstream> upstreams, HttpMessageHandler handler)
{
    private const int MaxSteps = 20;
    private readonly HttpClient _http = new(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<TokenFlowTiming> RunAsync(string address, string clientId, string redirectUri)
    {
        var cookies = new CookieContainer();
        double gatewayMs = 0, upstreamMs = 0;
        var flowStarted = Stopwatch.GetTimestamp();
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var next = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway,
            $"connect/authorize?client_id={clientId}&redirect_uri={Uri.EscapeDataString(redirectUri)}&response_type=code&scope=openid%20email%20offline_access" +
            $"&state=s{Guid.NewGuid():N}&nonce=n{Guid.NewGuid():N}&code_challenge={challenge}&code_challenge_method=S256"));
        string? code = null;
        for (var step = 0; step < MaxSteps && code is null; step++)
        {
            var (response, body) = await SendAsync(next, cookies, (gw, up) => { gatewayMs += gw; upstreamMs += up; });
            var at = next.RequestUri!;
            next.Dispose();
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var target = location.IsAbsoluteUri ? location : new Uri(at, location);
                if (target.AbsoluteUri.StartsWith(redirectUri, StringComparison.Ordinal))
                {
                    code = System.Web.HttpUtility.ParseQueryString(target.Query)["code"]
                        ?? throw new InvalidOperationException("No code at the redirect URI: " + target);
                    break;
                }

                next = new HttpRequestMessage(HttpMethod.Get, target);
            }
            else if (response.StatusCode == HttpStatusCode.OK && body.Contains("name=\"address\"", StringComparison.Ordinal))
            {
                var returnUrl = WebUtility.HtmlDecode(ReturnUrlPattern().Match(body).Groups[1].Value);
                next = new HttpRequestMessage(HttpMethod.Post, new Uri(at, "/login"))
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["address"] = address, ["returnUrl"] = returnUrl, ["provider"] = "" }),
                };
            }
            else if (response.StatusCode == HttpStatusCode.OK && FormPattern().Match(body) is { Success: true } form)
            {
                var fields = HiddenPattern().Matches(body).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
                next = new HttpRequestMessage(HttpMethod.Post, new Uri(at, WebUtility.HtmlDecode(form.Groups[1].Value))) { Content = new FormUrlEncodedContent(fields) };
            }
            else
            {
                throw new InvalidOperationException($"The flow stopped at {at} with {(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
            }

            response.Dispose();
        }

        using var redeem = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "connect/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code ?? throw new InvalidOperationException("Too many steps without a code."),
                ["code_verifier"] = verifier,
                ["redirect_uri"] = redirectUri,
                ["client_id"] = clientId,
            }),
        };
        var (tokenResponse, tokenBody) = await SendAsync(redeem, cookies, (gw, up) => { gatewayMs += gw; upstreamMs += up; });
        using (tokenResponse)
        {
            if (tokenResponse.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException("The code was refused: " + tokenBody);
            }
        }

        var totalMs = Stopwatch.GetElapsedTime(flowStarted).TotalMilliseconds;
        using var json = JsonDocument.Parse(tokenBody);
        return new TokenFlowTiming(totalMs, gatewayMs, upstreamMs, json.RootElement.TryGetProperty("refresh_token", out var r) ? r.GetString() : null);
    }

    private async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpRequestMessage request, CookieContainer cookies, Action<double, double> account)
    {
        var uri = request.RequestUri!;
        if (cookies.GetCookieHeader(uri) is { Length: > 0 } header)
        {
            request.Headers.Add("Cookie", header);
        }

        var upstreamBefore = UpstreamTime();
        var t0 = Stopwatch.GetTimestamp();
        var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        var inUpstream = (UpstreamTime() - upstreamBefore).TotalMilliseconds;
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                cookies.SetCookies(uri, setCookie);
            }
        }

        if (uri.Port == gateway.Port)
        {
            account(ms - inUpstream, inUpstream);
        }
        else
        {
            account(0, ms);
        }

        return (response, body);
    }

    private TimeSpan UpstreamTime() => upstreams.Aggregate(TimeSpan.Zero, (sum, u) => sum + u.HandlerTime);

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlPattern();

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*action=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenPattern();
}
