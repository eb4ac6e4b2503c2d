using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Continuity.Core.Routing;
using Continuity.Testing;
using Continuity.Testing.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Continuity.Web.Tests.Support;

/// <summary>
/// A real redis-server, two real backends (primary and sovereign webmail) and a gateway node built
/// as the Gateway host builds it (Core, Identity, Web) on Kestrel at 127.0.0.1. Users sign in through
/// the real flow: app host → gateway login page → a stand-in upstream OIDC provider → the gateway's
/// callback → a one-time ticket on the app host → the app, with its own session cookie.
/// </summary>
internal sealed class WebWorld : IAsyncDisposable
{
    public const string WebmailHost = "webmail.demo.test";
    public const string LoginHost = "login.demo.test";
    private readonly TempDirectory _dir = new("web");
    private InProcessGateway? _gateway;

    private WebWorld(StandInUpstream upstream, RedisServer redis, Backend primary, Backend sovereign)
    {
        Upstream = upstream;
        Redis = redis;
        Primary = primary;
        Sovereign = sovereign;
    }

    public StandInUpstream Upstream { get; }
    public RedisServer Redis { get; }
    public Backend Primary { get; }
    public Backend Sovereign { get; }
    public int Port { get; private set; }

    /// <summary>The TLS listener (HTTP/1.1 and HTTP/2 by ALPN), when started with a certificate.</summary>
    public int TlsPort { get; private set; }
    public IServiceProvider Services => _gateway!.Services;

    /// <summary>The gateway's last warnings and errors, for failure messages.</summary>
    public RecentProblems Problems => _gateway!.Problems;
    public IConfigurationRoot Configuration => _gateway!.Configuration;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static async Task<WebWorld> StartAsync(Action<Dictionary<string, string?>>? customize = null, X509Certificate2? tls = null)
    {
        var world = new WebWorld(await StandInUpstream.StartAsync(), new RedisServer(), await Backend.StartAsync("primary"), await Backend.StartAsync("sovereign"));
        var settings = world.Settings();
        customize?.Invoke(settings);
        await world.StartGatewayAsync(settings, tls);
        return world;
    }

    /// <summary>A client whose every connection goes to the gateway, whatever host name the URL has.</summary>
    public HttpClient Client(string? cookie = null)
    {
        var client = new HttpClient(Handler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(60) };
        if (cookie is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
        }

        return client;
    }

    public SocketsHttpHandler Handler() => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    public Uri App(string path, string host = WebmailHost) => new($"http://{host}:{Port}{path}");

    /// <summary>A browser whose tenant host names all reach this gateway.</summary>
    public Browser Browser() => new(Port);

    /// <summary>
    /// Signs a user in through the real flow, starting at the app host as a browser would, and returns the
    /// app host's <c>Cookie</c> header value (its own session cookie).
    /// </summary>
    public async Task<string> SignInAsync(string email, string host = WebmailHost)
    {
        using var browser = Browser();
        var page = await browser.NavigateAsync(App("/", host), email);
        if (page.Status != HttpStatusCode.OK || page.Url.Host != host)
        {
            throw new InvalidOperationException($"sign-in of {email} ended at {page.Url} with {(int)page.Status}: {page.Body}{Environment.NewLine}gateway log:{Environment.NewLine}{Problems.Describe()}");
        }

        return browser.CookieHeader(App("/", host));
    }

    /// <summary>Moves a user (or the tenant) to a provider through the route store and waits until this node routes by it.</summary>
    public async Task RouteAsync(string? user, string provider)
    {
        await Get<RouteStore>().ChangeAsync(new RouteChange("demo", user, provider, "test", "test route change"));
        await Eventually.TrueAsync(() => Get<RouteTable>().Resolve("demo", user) == provider, TimeSpan.FromSeconds(10), $"route of {user ?? "tenant"} → {provider}");
    }

    private Dictionary<string, string?> Settings()
    {
        var keys = _dir.Combine("keys");
        Directory.CreateDirectory(keys);
        return new Dictionary<string, string?>
        {
            ["Continuity:DataDir"] = _dir.Combine("data"),
            ["Continuity:State:Redis"] = Redis.ConnectionString,
            ["Continuity:Development"] = "true", // test nodes: clear Data Protection keys in the test store
            ["Continuity:State:RouteRecheckInterval"] = "00:00:00.200",
            ["Continuity:Tenants:demo:Domains:0"] = "demo.test",
            ["Continuity:Tenants:demo:Hosts:Login"] = LoginHost,
            ["Continuity:Tenants:demo:Hosts:Apps:webmail"] = WebmailHost,
            ["Continuity:Tenants:demo:DefaultProvider"] = "primary",
            ["Continuity:Tenants:demo:SovereignProvider"] = "sovereign",
            ["Continuity:Tenants:demo:Users:0"] = "alice@demo.test",
            ["Continuity:Tenants:demo:Users:1"] = "bob@demo.test",
            ["Continuity:Tenants:demo:Providers:primary:Apps:webmail:0"] = Primary.Url,
            ["Continuity:Tenants:demo:Providers:primary:Identity:Authority"] = Upstream.Issuer.AbsoluteUri,
            ["Continuity:Tenants:demo:Providers:primary:Identity:ClientId"] = "continuity",
            ["Continuity:Tenants:demo:Providers:primary:Identity:ClientSecret"] = "upstream-secret",
            ["Continuity:Tenants:demo:Providers:sovereign:Apps:webmail:0"] = Sovereign.Url,
            ["Continuity:Identity:AllowInsecureHttp"] = "true",
            // The stand-in upstream runs in this test process on two busy cores: its first discovery answer may take
            // longer than the production bound (3 s). The outage behaviour itself is tested against oidc-provider.
            ["Continuity:Identity:UpstreamTimeout"] = "00:00:15",
            ["Continuity:Identity:Tenants:demo:Issuer"] = $"http://{LoginHost}/",
            ["Continuity:Identity:Keys:Signing:0:Path"] = WriteKey(keys, "signing.pem"),
            ["Continuity:Identity:Keys:Encryption:0:Path"] = WriteKey(keys, "encryption.pem"),
            ["Continuity:Web:Apps:webmail:PublicPaths:0"] = "/static",
            ["Continuity:Web:Apps:webmail:HealthPath"] = "/health",
            ["Continuity:Web:Apps:webmail:HealthInterval"] = "00:00:00.200",
            ["Continuity:Web:Apps:webmail:HealthTimeout"] = "00:00:03",
            ["Continuity:Web:Apps:webmail:HealthFailureThreshold"] = "2",
        };
    }

    private static string WriteKey(string directory, string name)
    {
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private async Task StartGatewayAsync(Dictionary<string, string?> settings, X509Certificate2? tls)
    {
        TlsPort = tls is null ? 0 : FreePort.Next();
        _gateway = await InProcessGateway.StartPartsAsync(GatewayParts.IdentityAndWeb, settings, new()
        {
            ConsoleLogVariable = "WEB_TEST_LOGS",
            Kestrel = k =>
            {
                if (tls is not null)
                {
                    k.Listen(IPAddress.Loopback, TlsPort, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http1AndHttp2;
                        listen.UseHttps(tls);
                    });
                }

                k.Limits.MaxRequestBodySize = null;
            },
        });
        Port = _gateway.Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Primary.DisposeAsync();
        await Sovereign.DisposeAsync();
        Redis.Dispose();
        await Upstream.DisposeAsync();
        _dir.Dispose();
    }
}
