using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Continuity.Testing;

/// <summary>
/// An upstream OpenID Provider that was not written here: panva's <c>oidc-provider</c> (npm, OpenID
/// Certified) run by <c>tests/oidc-upstream/upstream.mjs</c> as a child <c>node</c> process on
/// 127.0.0.1, shaped like Entra ID or Keycloak. Sign-in has no page: the upstream completes login and
/// consent for the user named by <c>login_hint</c>. Its control API cuts users off (as Entra does,
/// AADSTS codes), makes it fail (503, connection reset) and changes claims.
/// </summary>
/// <remarks>
/// Needs <c>node</c> and <c>npm ci --prefix tests/oidc-upstream</c> (the README's test command does
/// both). The child exits when the test process does, however that ends (<c>--parent-pid</c> and its
/// standard input). Its output is kept for failure messages (<see cref="Describe"/>).
/// </remarks>
public sealed class OidcUpstream : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(40);

    private const int MaxOutputChars = 64 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TempDirectory _dir = new("oidc-upstream");
    private readonly GatewayOutput _output = new(MaxOutputChars);
    private readonly HttpClient _control;
    private Process? _process;

    private OidcUpstream(OidcUpstreamProfile profile, string? tenantId)
    {
        Profile = profile;
        TenantId = tenantId;
        _control = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    public OidcUpstreamProfile Profile { get; }

    /// <summary>The Entra tenant id (<c>tid</c>); null for Keycloak.</summary>
    public string? TenantId { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>: where the control API answers.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The issuer, as in its discovery document (Entra: <c>…/{tid}/v2.0</c>, Keycloak: <c>…/realms/test</c>; no trailing slash).</summary>
    public Uri Issuer { get; private set; } = null!;

    /// <summary>What the node process wrote (bounded).</summary>
    public string Output => _output.Text;

    /// <summary>
    /// Starts an upstream with these clients and users and waits until its discovery document answers.
    /// <paramref name="entraTenantId"/>: the <c>tid</c> (Entra only; a random GUID when null).
    /// </summary>
    public static async Task<OidcUpstream> StartAsync(
        OidcUpstreamProfile profile, IEnumerable<OidcUpstreamClient> clients, IEnumerable<OidcUpstreamUser> users, string? entraTenantId = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(users);
        var node = RequiredProgram.Find("node", "nodejs npm");
        var folder = Folder();
        var tenantId = profile == OidcUpstreamProfile.Entra ? entraTenantId ?? Guid.NewGuid().ToString() : null;
        var upstream = new OidcUpstream(profile, tenantId);
        try
        {
            var config = upstream._dir.Combine("upstream.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
            {
                tenantId,
                clients = clients.Select(c => new { c.ClientId, c.ClientSecret, c.RedirectUris }),
                users = users.Select(u => new { u.Address, u.Subject, u.Name, Claims = u.Claims ?? new Dictionary<string, object?>() }),
            }, Json));
            // A free port can still be taken between the check and node's bind: then another one.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await upstream.StartProcessAsync(node, folder, config, FreePort.Next());
                    return upstream;
                }
                catch (InvalidOperationException) when (attempt < 3 && upstream.Output.Contains("EADDRINUSE", StringComparison.Ordinal))
                {
                    upstream.KillProcess();
                }
                catch (InvalidOperationException e) when (attempt < 3 && e.InnerException is TimeoutException)
                {
                    // A start that hung (seen under a full suite on two cores) is tried again once more, the output kept.
                    upstream.KillProcess();
                }
            }
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Cuts <paramref name="user"/> off (null: everyone) with an Entra AADSTS <paramref name="code"/>.</summary>
    public Task CutOffAsync(string? user, string code = "50057", OidcCutoffAt at = OidcCutoffAt.Token) =>
        PostAsync("cutoff", new { user, code, at = at == OidcCutoffAt.Token ? "token" : "authorization" });

    /// <summary>Lifts the cut-off of <paramref name="user"/> (null: every cut-off).</summary>
    public Task RestoreAsync(string? user) => PostAsync("restore", new { user });

    public Task SetOutageAsync(OidcOutage mode) => PostAsync("outage", new
    {
        mode = mode switch
        {
            OidcOutage.None => "none",
            OidcOutage.ServiceUnavailable => "503",
            OidcOutage.Reset => "reset",
            OidcOutage.Hang => "hang",
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        },
    });

    /// <summary>Replaces the claim overrides of <paramref name="user"/> set through here (same rules as <see cref="OidcUpstreamUser.Claims"/>).</summary>
    public Task SetClaimsAsync(string user, IDictionary<string, object?> claims) => PostAsync("claims", new { user, claims });

    /// <summary>Addresses whose authorization code was redeemed here, in order.</summary>
    public async Task<IReadOnlyList<string>> LoginsAsync()
    {
        using var response = await _control.GetAsync(new Uri(BaseAddress, "__control/logins"));
        await EnsureAsync(response, "logins");
        return await response.Content.ReadFromJsonAsync<List<string>>(Json) ?? [];
    }

    /// <summary>Profile, issuer, state and output, for assertion messages.</summary>
    public string Describe() =>
        $"oidc-provider upstream ({Profile}) at {Issuer?.AbsoluteUri ?? BaseAddress.AbsoluteUri} ({(_process is { HasExited: false } ? "running" : "exited")})\n--- output ---\n{Output}--- end of output ---";

    public ValueTask DisposeAsync()
    {
        KillProcess();
        _control.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private void KillProcess()
    {
        if (_process is not { } process)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        process.Dispose();
        _process = null;
    }

    /// <summary><c>tests/oidc-upstream</c>, found by walking up from the test assembly; fails with the install command when its packages are missing.</summary>
    public static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "oidc-upstream");
            if (File.Exists(Path.Combine(candidate, "upstream.mjs")))
            {
                return Directory.Exists(Path.Combine(candidate, "node_modules", "oidc-provider"))
                    ? candidate
                    : throw new InvalidOperationException(
                        $"The tests' upstream OpenID Provider needs its npm packages in {candidate}/node_modules. Install them with: " +
                        "npm ci --prefix tests/oidc-upstream (needs node and npm: apt-get install -y nodejs npm; the README's test command does both).");
            }
        }

        throw new InvalidOperationException($"tests/oidc-upstream/upstream.mjs not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Copies a child's stream into the kept output, line by line, until it ends; never throws.</summary>
    private void Pump(StreamReader reader, Action<string>? onLine)
    {
        try
        {
            while (reader.ReadLine() is { } line)
            {
                _output.AppendLine(line);
                onLine?.Invoke(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process went away: what it said is kept.
        }
    }

    private async Task StartProcessAsync(string node, string folder, string config, int port)
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var psi = new ProcessStartInfo(node)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = folder,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(folder, "upstream.mjs"), "--port", BaseAddress.Port.ToString(CultureInfo.InvariantCulture),
                     "--profile", Profile == OidcUpstreamProfile.Entra ? "entra" : "keycloak", "--config", config,
                     "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["NODE_ENV"] = "test";
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the upstream exited before it listened"));
        _output.Append($"[test] starting: node {string.Join(' ', psi.ArgumentList)}\n");
        if (!process.Start())
        {
            throw new InvalidOperationException("could not start node");
        }

        _process = process;
        ParentDeathGuard.Watch(process.Id);
        // Each stream is read on a thread of its own, not through the thread pool's events: a suite that keeps the pool
        // busy (many in-process gateways on two cores) once kept the "listening" line from arriving for a minute.
        _ = Task.Factory.StartNew(() => Pump(process.StandardOutput, line =>
        {
            if (line.StartsWith("upstream listening ", StringComparison.Ordinal))
            {
                listening.TrySetResult(new Uri(line["upstream listening ".Length..].Trim()));
            }
        }), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _ = Task.Factory.StartNew(() => Pump(process.StandardError, null), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            Issuer = await listening.Task.WaitAsync(StartTimeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // the rest of its output, for the message
            }

            throw new InvalidOperationException($"The oidc-provider upstream did not start: {e.Message}.\n{Describe()}", e);
        }

        var discovery = new Uri(Issuer.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await _control.GetAsync(discovery);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, StartTimeout, $"discovery at {discovery}\n{Describe()}");
    }

    private async Task PostAsync(string action, object body)
    {
        using var response = await _control.PostAsJsonAsync(new Uri(BaseAddress, "__control/" + action), body, Json);
        await EnsureAsync(response, action);
    }

    private async Task EnsureAsync(HttpResponseMessage response, string action)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"upstream control '{action}' answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Describe()}");
        }
    }
}
