using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Accounts;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using Continuity.Testing.Identity;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>
/// The real gateway host on 127.0.0.1 with the two-person rule on (<c>Approvals = 2</c>) and people who can sign in through
/// the login page: tenant <c>demo</c> at <c>127.0.0.1</c> (ops, second, auditor are admins; alice, bob are users) and tenant
/// <c>other</c> at <c>localhost</c> (carol is a user), each with an upstream stand-in. Tests send the attacker's requests
/// with <see cref="SendAsync"/>: raw headers, cookies set by hand, no cookie jar.
/// </summary>
internal sealed class AdminAttackBed : IAsyncDisposable
{
    public const string CookieName = "__continuity_id";

    private readonly StandInUpstream _demoUpstream;
    private readonly StandInUpstream _otherUpstream;
    private readonly HttpClient _raw = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private AdminAttackBed(InProcessGateway gateway, StandInUpstream demo, StandInUpstream other, int port)
    {
        Gateway = gateway;
        _demoUpstream = demo;
        _otherUpstream = other;
        Port = port;
    }

    public InProcessGateway Gateway { get; }

    public int Port { get; }

    /// <summary>This gateway's own origin, as a browser on the demo login host sends it.</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    public static async Task<AdminAttackBed> StartAsync(string redis, int approvals = 2, Action<JsonNode>? customize = null)
    {
        var demo = await StandInUpstream.StartAsync();
        var other = await StandInUpstream.StartAsync();
        var port = FreePort.Next();
        var gateway = await DemoGateway.StartWithUpstreamsAsync(redis, continuity =>
        {
            continuity["Identity"] = new JsonObject
            {
                ["AllowInsecureHttp"] = true,
                ["UpstreamTimeout"] = "00:00:15", // a stand-in upstream on two busy cores
                ["Tenants"] = new JsonObject
                {
                    ["demo"] = new JsonObject { ["Issuer"] = $"http://127.0.0.1:{port}/" },
                    ["other"] = new JsonObject { ["Issuer"] = $"http://localhost:{port}/" },
                },
            };
            var demoTenant = continuity["Tenants"]!["demo"]!;
            demoTenant["Hosts"] = new JsonObject { ["Login"] = "127.0.0.1" };
            demoTenant["Failover"]!["Approvals"] = approvals;
            demoTenant["Providers"]!["primary"]!["Identity"]!["Authority"] = demo.Issuer.AbsoluteUri;
            var otherTenant = continuity["Tenants"]!["other"]!;
            otherTenant["Hosts"] = new JsonObject { ["Login"] = "localhost" };
            otherTenant["Users"] = new JsonArray("carol@other.test");
            otherTenant["Failover"] = new JsonObject { ["Approvals"] = approvals };
            otherTenant["Providers"] = new JsonObject
            {
                ["primary"] = new JsonObject
                {
                    ["Identity"] = new JsonObject { ["Authority"] = other.Issuer.AbsoluteUri, ["ClientId"] = "continuity", ["ClientSecret"] = "upstream-secret" },
                },
                ["sovereign"] = new JsonObject(),
            };
            customize?.Invoke(continuity);
        }, port);
        return new AdminAttackBed(gateway, demo, other, port);
    }

    /// <summary>Signs <paramref name="address"/> in through the login page of its tenant's host; returns the session cookie's value.</summary>
    public async Task<string> SignInAsync(string address)
    {
        var host = address.EndsWith("@other.test", StringComparison.Ordinal) ? "localhost" : "127.0.0.1";
        var start = new Uri($"http://{host}:{Port}/login");
        using var browser = new Browser();
        var page = await browser.NavigateAsync(start, address);
        var cookie = browser.Cookies.GetCookies(start)[CookieName];
        Assert.True(cookie is not null && (int)page.Status < 500,
            $"sign-in of {address} ended at {page.Url} with {(int)page.Status} and no session cookie: {page.Body}{Environment.NewLine}gateway log:{Environment.NewLine}{Gateway.Problems.Describe()}");
        return cookie!.Value;
    }

    /// <summary>One request, built by hand: each header as given (a <c>Cookie</c> header included).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Json, string Text)> SendAsync(
        HttpMethod method, string path, (string Name, string Value)[] headers, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(Gateway.BaseAddress, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _raw.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return (response.StatusCode, json, text);
    }

    public static (string, string) Key(string key) => ("Authorization", "Bearer " + key);

    public static (string, string) Cookie(string value) => ("Cookie", $"{CookieName}={value}");

    public async ValueTask DisposeAsync()
    {
        _raw.Dispose();
        await Gateway.DisposeAsync();
        await _demoUpstream.DisposeAsync();
        await _otherUpstream.DisposeAsync();
    }
}
