using Continuity.Core.Approvals;
using Continuity.Core.Configuration;
using Continuity.Core.Routing;
using Continuity.Core.State;
using Continuity.Core.Users;
using Continuity.Mail.Sync;
using Continuity.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Continuity.Benchmarks;

/// <summary>
/// The sync part as the gateway registers it (<c>AddContinuityMailboxSync()</c>, options bound from
/// <c>Continuity:Mail:Sync</c> with their defaults), checkpoints in a real redis-server, between a primary and a
/// sovereign Dovecot reached through their master users. The scheduler is registered but not started: each
/// <see cref="SyncAsync"/> is one <see cref="MailboxSynchronizer"/> run, as the scheduler would start it.
/// </summary>
internal sealed class MailboxSyncEngine : IAsyncDisposable
{
    public const string Tenant = "demo";
    private readonly ServiceProvider _services;

    public MailboxSyncEngine(DovecotServer primary, DovecotServer sovereign, RedisServer redis, string dataDir, string user)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["DataDir"] = dataDir,
            ["State:Redis"] = redis.ConnectionString,
            ["State:KeyPrefix"] = $"{{bench-{Guid.NewGuid():N}}}:",
            ["Tenants:demo:Domains:0"] = "demo.test",
            ["Tenants:demo:DefaultProvider"] = "primary",
            ["Tenants:demo:SovereignProvider"] = "sovereign",
            ["Tenants:demo:Users:0"] = user,
            ["Mail:Sync:Tenants:demo:Enabled"] = "true",
        };
        foreach (var (name, server) in new[] { ("primary", primary), ("sovereign", sovereign) })
        {
            values[$"Tenants:demo:Providers:{name}:Mail:Imap"] = server.ImapUri;
            values[$"Tenants:demo:Providers:{name}:Mail:Login:Master"] = DovecotServer.MasterUser;
            values[$"Tenants:demo:Providers:{name}:Mail:Login:MasterPassword"] = DovecotServer.MasterPassword;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values.Select(kv => KeyValuePair.Create("Continuity:" + kv.Key, kv.Value))).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ContinuityOptions>().Bind(configuration.GetSection(ContinuityOptions.SectionName));
        services.AddSingleton<StateStore>();
        services.AddSingleton<RouteTable>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<ApprovalStore>();
        services.AddContinuityMailboxSync();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Options = _services.GetRequiredService<IOptions<MailboxSyncOptions>>().Value;
    }

    /// <summary>The options in effect (the defaults of <see cref="MailboxSyncOptions"/>).</summary>
    public MailboxSyncOptions Options { get; }

    /// <summary>One forward run (primary → sovereign) of the user's whole mailbox; throws when a folder failed.</summary>
    public async Task<MailboxSyncResult> SyncAsync(string user)
    {
        var result = await _services.GetRequiredService<MailboxSynchronizer>().SyncAsync(Tenant, user, SyncDirection.Forward, null, CancellationToken.None).ConfigureAwait(false);
        var failed = result.Folders.Where(f => f.Error is not null).Select(f => $"{f.Source}: {f.Error}").ToList();
        return failed.Count == 0 && result.Error is null
            ? result
            : throw new InvalidOperationException($"sync run failed: {result.Error} {string.Join("; ", failed)}");
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
