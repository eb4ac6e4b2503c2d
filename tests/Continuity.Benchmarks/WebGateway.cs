using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Continuity.Testing;
using Continuity.Testing.Identity;

namespace Continuity.Benchmarks;

/// <summary>
/// The web gateway as it is deployed: the real executable (<c>continuity serve</c>, its own runtimeconfig: server GC and
/// the runtime settings of src/Continuity.Gateway) as a child process with a generated configuration file, the shipped
/// appsettings.json (logging at Information, ASP.NET Core at Warning), against a real redis-server, with app
/// <c>webmail</c> of tenant <c>demo</c> at <see cref="AppHost"/> whose primary backend is the benchmark's static backend.
/// A user signs in through the real flow (app host → login page → stand-in upstream OIDC provider → callback → ticket →
/// app), so every benchmarked request carries a real session cookie: the session check, the route lookup, the
/// assertion header and the proxying all run per request. This process stays idle while wrk runs.
/// </summary>
internal sealed partial class WebGateway : IAsyncDisposable
{
    public const string AppHost = "webmail.demo.test";
    private const string LoginHost = "login.demo.test";

    private readonly RedisServer _redis;
    private readonly StandInUpstream _upstream;
    private readonly TempDirectory _dir;
    private readonly GatewayProcess _process;

    private WebGateway(RedisServer redis, StandInUpstream upstream, TempDirectory dir, GatewayProcess process) =>
        (_redis, _upstream, _dir, _process) = (redis, upstream, dir, process);

    public int Port => _process.BaseAddress.Port;

    /// <summary>Lines the gateway wrote (stdout and stderr); with no per-request log lines this stays small under load.</summary>
    public int OutputLines => _process.OutputLines;

    public int ProcessId => _process.ProcessId ?? 0;

    public string Output => _process.Output;

    /// <summary>
    /// Starts a gateway (<see cref="GatewayProcess"/>, from a configuration file, with the executable's own runtime and
    /// logging settings); <paramref name="variables"/> (NAME=VALUE, several separated by ';') are environment variables set
    /// on top, for a trial (e.g. <c>DOTNET_PerfMapEnabled=1;DOTNET_EnableWriteXorExecute=0</c> to profile it with perf).
    /// </summary>
    public static async Task<WebGateway> StartAsync(string backendUrl, string? variables = null)
    {
        var redis = new RedisServer();
        var upstream = await StandInUpstream.StartAsync().ConfigureAwait(false);
        var dir = new TempDirectory("web-gateway");
        var config = dir.Combine("continuity.json");
        await File.WriteAllTextAsync(config, ToJson(Settings(dir, redis, upstream, backendUrl))).ConfigureAwait(false);
        var process = GatewayProcess.FromConfigFile("web-bench", config, dir.Combine("data"), environment: Environment(variables));
        var gateway = new WebGateway(redis, upstream, dir, process);
        try
        {
            await process.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return gateway;
    }

    /// <summary>
    /// The runtime settings are the executable's own (its runtimeconfig.json: server GC), not this process's
    /// <c>DOTNET_*</c> variables nor the test harness's workstation GC; logging is the shipped appsettings.json's. Then
    /// <paramref name="variables"/>.
    /// </summary>
    private static Dictionary<string, string?> Environment(string? variables)
    {
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) && !k.StartsWith("DOTNET_ROOT", StringComparison.Ordinal) && k != "DOTNET_HOST_PATH")
            .ToDictionary(k => k, _ => (string?)null);
        foreach (var harness in (string[])["DOTNET_gcServer", "Logging__LogLevel__System.Net.Http.HttpClient", "Logging__Console__FormatterName",
                     "Logging__Console__FormatterOptions__SingleLine", "Logging__Console__FormatterOptions__TimestampFormat"])
        {
            environment[harness] = null;
        }

        environment["DOTNET_NOLOGO"] = "1";
        foreach (var variable in (variables ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (variable.Split('=', 2) is not [var name, var value])
            {
                throw new ArgumentException($"not NAME=VALUE: {variable}", nameof(variables));
            }

            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Checks the process is still up; a figure from a crashed gateway would be a lie.</summary>
    public void EnsureRunning()
    {
        if (!_process.IsRunning)
        {
            throw new InvalidOperationException("the gateway process exited during the benchmark:\n" + _process.Describe());
        }
    }

    /// <summary>Flat configuration keys (<c>a:b:0</c>) as the JSON file the gateway reads (indices as object keys bind to lists).</summary>
    private static string ToJson(Dictionary<string, string?> settings)
    {
        var root = new JsonObject();
        foreach (var (key, value) in settings)
        {
            var parts = key.Split(':');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (node[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[part] = child;
                }

                node = child;
            }

            node[parts[^1]] = value;
        }

        return root.ToJsonString();
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
        try
        {
            // SIGTERM (a graceful stop), as systemctl stop does; killed if it does not exit in time.
            await _process.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            await _upstream.DisposeAsync().ConfigureAwait(false);
            _redis.Dispose();
            _dir.Dispose();
        }
    }

    private static Dictionary<string, string?> Settings(TempDirectory dir, RedisServer redis, StandInUpstream upstream, string backendUrl)
    {
        var keys = dir.Combine("keys");
        Directory.CreateDirectory(keys);
        return new Dictionary<string, string?>
        {
            ["Continuity:DataDir"] = dir.Combine("data"),
            ["Continuity:State:Redis"] = redis.ConnectionString,
            ["Continuity:Development"] = "true", // benchmark node: clear Data Protection keys in the benchmark store
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
