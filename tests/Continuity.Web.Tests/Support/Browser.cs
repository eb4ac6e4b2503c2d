using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Continuity.Web.Tests.Support;

/// <summary>
/// (The minimal part of Continuity.Gateway.Tests' SignInBrowser.) A browser for tests: a cookie jar,
/// redirects followed one by one, auto-submitting <c>form_post</c> pages, and the gateway's login page
/// filled in with the address. Every host under the tenant's domain resolves to the gateway; other hosts
/// (the stand-in upstream on 127.0.0.1) are reached as named.
/// </summary>
internal sealed partial class Browser : IDisposable
{
    private const int MaxSteps = 30;
    private readonly HttpClient _client;

    public Browser(int gatewayPort, Version? version = null)
    {
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = Cookies,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                var gateway = context.DnsEndPoint.Host.EndsWith(".demo.test", StringComparison.OrdinalIgnoreCase);
                await socket.ConnectAsync(IPAddress.Loopback, gateway ? gatewayPort : context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public CookieContainer Cookies { get; } = new();

    /// <summary>URLs visited, in order.</summary>
    public List<Uri> Visited { get; } = [];

    /// <summary>Sends one hop; a failure names the hop and the hops before it, so a hang is traceable.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        try
        {
            return await _client.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new HttpRequestException($"{request.Method} {request.RequestUri} failed after {string.Join(" -> ", Visited.SkipLast(1))}: {e.Message}", e);
        }
    }

    /// <summary>Follows everything from <paramref name="start"/>; answers the login page with <paramref name="address"/>.</summary>
    /// <remarks>With <paramref name="stopAtPath"/>, stops before following a redirect to that path and returns its URL.</remarks>
    public async Task<BrowserPage> NavigateAsync(Uri start, string? address = null, string? stopAtPath = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, start);
        for (var step = 0; step < MaxSteps; step++)
        {
            Visited.Add(request.RequestUri!);
            using var response = await SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var at = request.RequestUri!;
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(at, location);
                if (stopAtPath is not null && next.AbsolutePath == stopAtPath)
                {
                    return new BrowserPage(next, response.StatusCode, body, []);
                }

                request = new HttpRequestMessage(HttpMethod.Get, next);
                continue;
            }

            if (response.StatusCode == HttpStatusCode.OK && address is not null && body.Contains("name=\"address\"", StringComparison.Ordinal))
            {
                var returnUrl = WebUtility.HtmlDecode(ReturnUrlPattern().Match(body).Groups[1].Value);
                request = new HttpRequestMessage(HttpMethod.Post, new Uri(at, "/login"))
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["address"] = address, ["returnUrl"] = returnUrl, ["provider"] = "" }),
                };
                address = null; // Once: a second login page is an answer, not a question.
                continue;
            }

            if (response.StatusCode == HttpStatusCode.OK && FormPattern().Match(body) is { Success: true } form && !body.Contains("name=\"address\"", StringComparison.Ordinal))
            {
                var fields = HiddenPattern().Matches(body).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
                request = new HttpRequestMessage(HttpMethod.Post, new Uri(at, WebUtility.HtmlDecode(form.Groups[1].Value))) { Content = new FormUrlEncodedContent(fields) };
                continue;
            }

            return new BrowserPage(at, response.StatusCode, body, response.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : []);
        }

        throw new InvalidOperationException("Too many redirects: " + string.Join(" → ", Visited.TakeLast(6)));
    }

    /// <summary>One GET, no redirect followed.</summary>
    public Task<HttpResponseMessage> GetAsync(Uri url) => _client.GetAsync(url);

    /// <summary>One POST of an empty form, no redirect followed.</summary>
    public Task<HttpResponseMessage> PostAsync(Uri url) => _client.PostAsync(url, new FormUrlEncodedContent([]));

    /// <summary>One form POST with these fields, no redirect followed.</summary>
    public Task<HttpResponseMessage> PostAsync(Uri url, IEnumerable<KeyValuePair<string, string>> fields) => _client.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>The hidden fields of the first form of an HTML page.</summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenPattern().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));

    /// <summary>The <c>Cookie</c> header this browser sends to <paramref name="url"/>.</summary>
    public string CookieHeader(Uri url) => Cookies.GetCookieHeader(url);

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlPattern();

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*action=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenPattern();
}

/// <summary>Where the browser ended, what it showed, and the cookies that last answer set.</summary>
internal sealed record BrowserPage(Uri Url, HttpStatusCode Status, string Body, IReadOnlyList<string> SetCookies);
