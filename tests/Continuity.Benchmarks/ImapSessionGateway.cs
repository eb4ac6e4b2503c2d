using Continuity.Core.Configuration;
using Continuity.Core.Credentials;
using Continuity.Core.State;
using Continuity.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Continuity.Benchmarks;

/// <summary>
/// The gateway as it is deployed: the real executable (<c>continuity serve</c>) as a child process
/// (<see cref="GatewayProcess"/>, workstation GC as the test harness starts it) with the demo tenant against a real
/// redis-server, its IMAP listener on a free port (no TLS, as nginx and direct), provider <c>primary</c> = the
/// benchmark's Dovecot with master user <c>gateway</c>. Logging at Warning, as nginx's <c>error_log … warn</c>.
/// App passwords are written into the shared store by this process, as the admin CLI or another node would: each
/// stored password keeps its own iteration count, so one gateway checks both the default and the minimum.
/// With <c>inlineCompletions</c> the process runs with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> (a .NET
/// runtime setting, not the gateway's default): socket completions run on the runtime's epoll thread instead of being
/// handed to a thread-pool worker, which is how nginx's event loop works. The benchmark runs such a second gateway
/// to show what that one hand-off costs per NOOP.
/// </summary>
internal sealed class ImapSessionGateway : IAsyncDisposable
{
    /// <summary>The least PBKDF2 iteration count the store accepts (no validator sets a floor; a stored count below 1 is refused).</summary>
    public const int MinimumIterations = 1;

    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private readonly GatewayProcess _process;
    private readonly StateStore _store;
    private readonly TempDirectory _dir;

    private ImapSessionGateway(GatewayProcess process, StateStore store, TempDirectory dir, int port)
    {
        (_process, _store, _dir, Port) = (process, store, dir, port);
    }

    public int Port { get; }

    /// <summary>The iteration count new app passwords get by default (600 000).</summary>
    public int DefaultIterations { get; } = new AppPasswordOptions().Iterations;

    /// <summary>The verified-password cache duration the gateway runs with (the default).</summary>
    public TimeSpan CacheDuration { get; } = new AppPasswordOptions().VerifiedCacheDuration;

    public int ProcessId => _process.ProcessId ?? 0;

    public static async Task<ImapSessionGateway> StartAsync(string redis, DovecotServer dovecot, bool inlineCompletions = false)
    {
        var options = GatewayConfig.Demo(redis);
        var port = FreePort.Next();
        options.Listeners.Imap = port;
        options.Tenants[GatewayConfig.Tenant].Providers["primary"].Mail = new ProviderMailOptions
        {
            Imap = dovecot.ImapUri,
            Login = new MailLoginOptions { Master = DovecotServer.MasterUser, MasterPassword = DovecotServer.MasterPassword },
        };

        // The child inherits this process's environment (GatewayProcess adds its own variables on top).
        // This process read the inline setting when it opened its first socket (before any gateway starts), so setting it
        // here affects the child only.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        Environment.SetEnvironmentVariable(InlineCompletions, inlineCompletions ? "1" : null);
        GatewayProcess process;
        try
        {
            process = await GatewayProcess.StartAsync(inlineCompletions ? "imap-bench-inline" : "imap-bench", options).ConfigureAwait(false);
        }
        finally
        {
            Environment.SetEnvironmentVariable(InlineCompletions, null);
        }

        var dir = new TempDirectory("gateway-imap-admin");
        options.DataDir = dir.Path;
        var store = new StateStore(Options.Create(options), NullLoggerFactory.Instance);
        return new ImapSessionGateway(process, store, dir, port);
    }

    /// <summary>An app password for <paramref name="user"/>, hashed with <paramref name="iterations"/> (null: the default).</summary>
    public async Task<string> NewPasswordAsync(string user, int? iterations = null)
    {
        var store = new AppPasswordStore(
            _store,
            Options.Create(new CredentialOptions { AppPasswords = { Iterations = iterations ?? DefaultIterations } }),
            TimeProvider.System);
        return (await store.CreateAsync(user, "benchmark").ConfigureAwait(false)).Secret;
    }

    /// <summary>Checks the process is still up; a figure from a crashed gateway would be a lie.</summary>
    public void EnsureRunning()
    {
        if (!_process.IsRunning)
        {
            throw new InvalidOperationException("the gateway process exited during the benchmark:\n" + _process.Describe());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync().ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _dir.Dispose();
    }
}
