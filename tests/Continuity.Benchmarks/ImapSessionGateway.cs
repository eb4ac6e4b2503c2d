using System.Globalization;
using Continuity.Core;
using Continuity.Core.Configuration;
using Continuity.Core.Credentials;
using Continuity.Core.Routing;
using Continuity.Core.State;
using Continuity.Mail.Imap;
using Continuity.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Continuity.Benchmarks;

/// <summary>
/// The gateway's IMAP proxy hosted in this process as the gateway hosts it: <c>AddContinuityCore</c> +
/// <c>AddContinuityMailAccess</c> against a real redis-server, tenant <c>demo</c> whose provider <c>primary</c> is the
/// benchmark's Dovecot (master user <c>gateway</c>), no logging providers (as quiet as a production log level).
/// Only the <see cref="ImapServer"/> is started; the route table is set directly (alice → primary). App passwords are
/// created through <see cref="AppPasswordStore"/>: one with the configured default iterations, one with
/// <see cref="MinimumIterations"/> (each stored password keeps its own count, so one gateway checks both).
/// </summary>
internal sealed class ImapSessionGateway : IAsyncDisposable
{
    /// <summary>The least PBKDF2 iteration count the store accepts (no validator sets a floor; a stored count below 1 is refused).</summary>
    public const int MinimumIterations = 1;

    private readonly ServiceProvider _services;
    private readonly ImapServer _server;
    private readonly TempDirectory _dir;

    private ImapSessionGateway(ServiceProvider services, ImapServer server, TempDirectory dir, int port)
    {
        (_services, _server, _dir, Port) = (services, server, dir, port);
    }

    public int Port { get; }

    /// <summary>The iteration count new app passwords get from the configuration (the default, 600 000).</summary>
    public int DefaultIterations => _services.GetRequiredService<IOptions<CredentialOptions>>().Value.AppPasswords.Iterations;

    public static async Task<ImapSessionGateway> StartAsync(string redis, DovecotServer dovecot)
    {
        var dir = new TempDirectory("gateway-imap");
        var port = FreePort.Next();
        var values = new Dictionary<string, string?>
        {
            ["DataDir"] = dir.Path,
            ["State:Redis"] = redis,
            ["Listeners:Address"] = "127.0.0.1",
            ["Listeners:Imap"] = port.ToString(CultureInfo.InvariantCulture),
            ["Listeners:Imaps"] = "0",
            ["Listeners:Submission"] = "0",
            ["Tenants:demo:Domains:0"] = "demo.test",
            ["Tenants:demo:Hosts:Mail"] = "mail.demo.test",
            ["Tenants:demo:DefaultProvider"] = "primary",
            ["Tenants:demo:SovereignProvider"] = "sovereign",
            ["Tenants:demo:Providers:primary:DisplayName"] = "Primary",
            ["Tenants:demo:Providers:primary:Mail:Imap"] = dovecot.ImapUri,
            ["Tenants:demo:Providers:primary:Mail:Login:Master"] = DovecotServer.MasterUser,
            ["Tenants:demo:Providers:primary:Mail:Login:MasterPassword"] = DovecotServer.MasterPassword,
            ["Tenants:demo:Providers:sovereign:DisplayName"] = "Sovereign",
        };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(kv => KeyValuePair.Create("Continuity:" + kv.Key, kv.Value)))
            .Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddOptions<ContinuityOptions>().Bind(configuration.GetSection(ContinuityOptions.SectionName));
        collection.AddContinuityCore();
        collection.AddContinuityMailAccess();
        var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = services.GetRequiredService<IOptions<Mail.Proxy.MailAccessOptions>>().Value; // configuration errors surface here
        services.GetRequiredService<RouteTable>().TrySwap(new RouteSnapshot(1, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes>
        {
            ["demo"] = new TenantRoutes("primary", new Dictionary<string, string>()),
        }));
        var server = services.GetRequiredService<ImapServer>();
        await server.StartAsync(CancellationToken.None).ConfigureAwait(false);
        return new ImapSessionGateway(services, server, dir, port);
    }

    /// <summary>An app password for <paramref name="user"/>, hashed with <paramref name="iterations"/> (null: the configured default).</summary>
    public async Task<string> NewPasswordAsync(string user, int? iterations = null)
    {
        var store = iterations is null
            ? _services.GetRequiredService<AppPasswordStore>()
            : new AppPasswordStore(
                _services.GetRequiredService<StateStore>(),
                Options.Create(new CredentialOptions { AppPasswords = { Iterations = iterations.Value } }),
                TimeProvider.System);
        return (await store.CreateAsync(user, "benchmark").ConfigureAwait(false)).Secret;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
        _dir.Dispose();
    }
}
