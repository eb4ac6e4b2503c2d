using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Continuity.Testing;

/// <summary>
/// A browser for tests: a cookie jar, redirects followed one by one, auto-submitting <c>form_post</c>
/// pages, and the gateway's login page filled in with the address (and the provider button, if one
/// is chosen). It can stop at a URL prefix or path to hand an authorization code or ticket to the test.
/// </summary>
public sealed partial class Browser : IDisposable
{
    private const int MaxSteps = 40;
    private readonly HttpClient _client;

    /// <summary>A browser that reaches every host by its name.</summary>
    public Browser()
        : this(new SocketsHttpHandler())
    {
    }

    /// <summary>
    /// A browser for a gateway reached by host names: every host under <paramref name="domain"/> is 127.0.0.1 at
    /// <paramref name="gatewayPort"/>; other hosts (a stand-in upstream) are 127.0.0.1 at their own port.
    /// </summary>
    public Browser(int gatewayPort, string domain = ".demo.test")
        : this(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                var gateway = context.DnsEndPoint.Host.EndsWith(domain, StringComparison.OrdinalIgnoreCase);
                await socket.ConnectAsync(IPAddress.Loopback, gateway ? gatewayPort : context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
    {
    }

    private Browser(SocketsHttpHandler handler)
    {
        handler.AllowAutoRedirect = false;
        handler.UseCookies = true;
        handler.CookieContainer = Cookies;
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public CookieContainer Cookies { get; } = new();

    /// <summary>URLs visited, in order (for assertions about which upstream was used).</summary>
    public List<Uri> Visited { get; } = [];

    /// <summary>Follows everything from <paramref name="start"/>; answers the login page with <paramref name="address"/>.</summary>
    /// <param name="stopAt">Stop before following a redirect (or submitting a form) to a URL that starts with this; return that URL.</param>
    /// <param name="stopAtPath">Stop before following a redirect to this path; return its URL.</param>
    public Task<BrowserPage> NavigateAsync(Uri start, string? address = null, string? provider = null, string? stopAt = null, string? stopAtPath = null) =>
        FollowAsync(new HttpRequestMessage(HttpMethod.Get, start), address, provider, stopAt, stopAtPath);

    /// <summary>
    /// Answers a login page the browser stopped at (a <see cref="NavigateAsync"/> without address): posts
    /// <paramref name="address"/>, the page's own return URL and <paramref name="provider"/>, then follows on.
    /// A login page shown again is returned, not answered.
    /// </summary>
    public Task<BrowserPage> SubmitLoginAsync(BrowserPage loginPage, string address, string? provider = null, string? stopAt = null)
    {
        ArgumentNullException.ThrowIfNull(loginPage);
        return FollowAsync(LoginPost(loginPage.Url, address, loginPage.ReturnUrl ?? "", provider), null, null, stopAt, null);
    }

    private static HttpRequestMessage LoginPost(Uri at, string address, string returnUrl, string? provider) =>
        new(HttpMethod.Post, new Uri(at, "/login"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["address"] = address,
                ["returnUrl"] = returnUrl,
                ["provider"] = provider ?? "",
            }),
        };

    private async Task<BrowserPage> FollowAsync(HttpRequestMessage request, string? address, string? provider, string? stopAt, string? stopAtPath)
    {
        for (var step = 0; step < MaxSteps; step++)
        {
            Visited.Add(request.RequestUri!);
            using var response = await HopAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var at = request.RequestUri!;
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(at, location);
                if ((stopAt is not null && next.AbsoluteUri.StartsWith(stopAt, StringComparison.Ordinal)) || (stopAtPath is not null && next.AbsolutePath == stopAtPath))
                {
                    return new BrowserPage(next, response.StatusCode, body);
                }

                request = new HttpRequestMessage(HttpMethod.Get, next);
                continue;
            }

            if (response.StatusCode == HttpStatusCode.OK && address is not null && body.Contains("name=\"address\"", StringComparison.Ordinal))
            {
                request = LoginPost(at, address, BrowserPage.ReturnUrlOf(body) ?? "", provider);
                address = null; // Once: a second login page is an answer, not a question.
                continue;
            }

            if (response.StatusCode == HttpStatusCode.OK && FormPattern().Match(body) is { Success: true } form && body.Contains("type=\"hidden\"", StringComparison.Ordinal) && !body.Contains("name=\"address\"", StringComparison.Ordinal))
            {
                var action = new Uri(at, WebUtility.HtmlDecode(form.Groups[1].Value));
                var fields = HiddenFields(body);
                if (stopAt is not null && action.AbsoluteUri.StartsWith(stopAt, StringComparison.Ordinal))
                {
                    return new BrowserPage(new Uri(action + "?" + string.Join("&", fields.Select(f => f.Key + "=" + Uri.EscapeDataString(f.Value)))), response.StatusCode, body);
                }

                request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
                continue;
            }

            return new BrowserPage(at, response.StatusCode, body);
        }

        throw new InvalidOperationException("Too many redirects: " + string.Join(" → ", Visited.TakeLast(6)));
    }

    /// <summary>A plain GET with this browser's cookies, no redirect followed (for the admin API after signing in).</summary>
    public Task<HttpResponseMessage> GetAsync(Uri url) => _client.GetAsync(url);

    /// <summary>One POST of an empty form, no redirect followed.</summary>
    public Task<HttpResponseMessage> PostAsync(Uri url) => _client.PostAsync(url, new FormUrlEncodedContent([]));

    /// <summary>One form POST with these fields, no redirect followed.</summary>
    public Task<HttpResponseMessage> PostAsync(Uri url, IEnumerable<KeyValuePair<string, string>> fields) => _client.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>One request as built, with this browser's cookies, no redirect followed.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _client.SendAsync(request);

    /// <summary>The <c>Cookie</c> header this browser sends to <paramref name="url"/>.</summary>
    public string CookieHeader(Uri url) => Cookies.GetCookieHeader(url);

    /// <summary>The hidden fields of the first form of an HTML page.</summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenPattern().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));

    /// <summary>Sends one hop; a failure names the hop and the hops before it, so a hang is traceable.</summary>
    private async Task<HttpResponseMessage> HopAsync(HttpRequestMessage request)
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

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*action=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenPattern();
}

/// <summary>Where the browser ended, and what it showed.</summary>
public sealed partial record BrowserPage(Uri Url, HttpStatusCode Status, string Body)
{
    public string? Query(string name) =>
        System.Web.HttpUtility.ParseQueryString(Url.Query)[name];

    /// <summary>True when this is the gateway's login page (it asks for an address).</summary>
    public bool IsLoginPage => Body.Contains("name=\"address\"", StringComparison.Ordinal);

    /// <summary>The login page's hidden <c>returnUrl</c> field, decoded; null when the page has none.</summary>
    public string? ReturnUrl => ReturnUrlOf(Body);

    internal static string? ReturnUrlOf(string body) =>
        ReturnUrlPattern().Match(body) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlPattern();
}
