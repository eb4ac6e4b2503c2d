using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Continuity.Core;
using Continuity.Core.Configuration;
using Continuity.Identity;
using Continuity.Testing;
using Continuity.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Continuity.Benchmarks;

/// <summary>
/// The web gateway hosted in this process as the gateway host builds it (Core, Identity, Web on Kestrel at
/// 127.0.0.1, no logging providers), against a real redis-server, with app <c>webmail</c> of tenant <c>demo</c> at
/// <see cref="AppHost"/> whose primary backend is the benchmark's static backend. A user signs in through the real
/// flow (app host → login page → stand-in upstream OIDC provider → callback → ticket → app), so every benchmarked
/// request carries a real session cookie: cookie decryption, the revocation and sign-out checks, the route lookup,
/// the assertion header and the proxying all run per request.
/// </summary>
internal sealed partial class WebGateway : IAsyncDisposable
{
    public const string AppHost = "webmail.demo.test";
    private const string LoginHost = "login.demo.test";

    private readonly RedisServer _redis;
    private readonly WebUpstream _upstream;
    private readonly TempDirectory _dir;
    private readonly WebApplication _app;

    private WebGateway(RedisServer redis, WebUpstream upstream, TempDirectory dir, WebApplication app, int port) =>
        (_redis, _upstream, _dir, _app, Port) = (redis, upstream, dir, app, port);

    public int Port { get; }

    public static async Task<WebGateway> StartAsync(string backendUrl)
    {
        var redis = new RedisServer();
        var upstream = await WebUpstream.StartAsync().ConfigureAwait(false);
        var dir = new TempDirectory("web-gateway");
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(Settings(dir, redis, upstream, backendUrl));
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddOptions<ContinuityOptions>().Bind(builder.Configuration.GetSection(ContinuityOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ContinuityOptions>, ContinuityOptionsValidator>();
        builder.Services.AddContinuityCore();
        builder.Services.AddContinuityIdentity(builder.Configuration);
        builder.Services.AddContinuityWeb(builder.Configuration);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapContinuityIdentity();
        app.MapContinuityWeb();
        await app.StartAsync().ConfigureAwait(false);
        return new WebGateway(redis, upstream, dir, app, port);
    }

    /// <summary>Signs <paramref name="address"/> in through the real flow; returns the app host's <c>Cookie</c> header value.</summary>
    public async Task<string> SignInAsync(string address)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                var gateway = context.DnsEndPoint.Host.EndsWith(".demo.test", StringComparison.OrdinalIgnoreCase);
                await socket.ConnectAsync(IPAddress.Loopback, gateway ? Port : context.DnsEndPoint.Port, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        var app = new Uri($"http://{AppHost}:{Port}{WebNginx.PagePath}");
        using var request = new HttpRequestMessage(HttpMethod.Get, app);
        var next = request;
        for (var step = 0; step < 20; step++)
        {
            using var response = await client.SendAsync(next).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.Headers.Location is { } location)
            {
                next = new HttpRequestMessage(HttpMethod.Get, location.IsAbsoluteUri ? location : new Uri(next.RequestUri!, location));
            }
            else if (body.Contains("name=\"address\"", StringComparison.Ordinal))
            {
                var returnUrl = WebUtility.HtmlDecode(ReturnUrlPattern().Match(body).Groups[1].Value);
                next = new HttpRequestMessage(HttpMethod.Post, new Uri(next.RequestUri!, "/login"))
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["address"] = address, ["returnUrl"] = returnUrl, ["provider"] = "" }),
                };
            }
            else if (response.IsSuccessStatusCode && next.RequestUri!.Host == AppHost)
            {
                return cookies.GetCookieHeader(app);
            }
            else
            {
                throw new InvalidOperationException($"sign-in of {address} stopped at {next.RequestUri} with {(int)response.StatusCode}: {body}");
            }
        }

        throw new InvalidOperationException($"sign-in of {address}: too many redirects");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _upstream.DisposeAsync().ConfigureAwait(false);
        _redis.Dispose();
        _dir.Dispose();
    }

    private static Dictionary<string, string?> Settings(TempDirectory dir, RedisServer redis, WebUpstream upstream, string backendUrl)
    {
        var keys = dir.Combine("keys");
        Directory.CreateDirectory(keys);
        return new Dictionary<string, string?>
        {
            ["Continuity:DataDir"] = dir.Combine("data"),
            ["Continuity:State:Redis"] = redis.ConnectionString,
            ["Continuity:Tenants:demo:Domains:0"] = "demo.test",
            ["Continuity:Tenants:demo:Hosts:Login"] = LoginHost,
            ["Continuity:Tenants:demo:Hosts:Apps:webmail"] = AppHost,
            ["Continuity:Tenants:demo:DefaultProvider"] = "primary",
            ["Continuity:Tenants:demo:SovereignProvider"] = "sovereign",
            ["Continuity:Tenants:demo:Users:0"] = "alice@demo.test",
            ["Continuity:Tenants:demo:Providers:primary:Apps:webmail:0"] = backendUrl + "/",
            ["Continuity:Tenants:demo:Providers:primary:Identity:Authority"] = upstream.Issuer.AbsoluteUri,
            ["Continuity:Tenants:demo:Providers:primary:Identity:ClientId"] = "continuity",
            ["Continuity:Tenants:demo:Providers:primary:Identity:ClientSecret"] = "upstream-secret",
            ["Continuity:Tenants:demo:Providers:sovereign:Apps:webmail:0"] = backendUrl + "/",
            ["Continuity:Identity:AllowInsecureHttp"] = "true",
            ["Continuity:Identity:Tenants:demo:Issuer"] = $"http://{LoginHost}/",
            ["Continuity:Identity:Keys:Signing:0:Path"] = WriteKey(keys, "signing.pem"),
            ["Continuity:Identity:Keys:Encryption:0:Path"] = WriteKey(keys, "encryption.pem"),
            ["Continuity:Web:Apps:webmail:HealthPath"] = WebNginx.PagePath,
            ["Continuity:Web:Apps:webmail:HealthInterval"] = "00:00:05",
        };
    }

    private static string WriteKey(string directory, string name)
    {
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        return path;
    }

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlPattern();
}
