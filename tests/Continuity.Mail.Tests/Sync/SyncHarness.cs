using System.Globalization;
using Continuity.Core.Configuration;
using Continuity.Core.Routing;
using Continuity.Core.State;
using Continuity.Core.Users;
using Continuity.Mail.Sync;
using Continuity.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Tests.Sync;

/// <summary>
/// Two real Dovecots (primary: Exchange-like names "Sent Items"/"Deleted Items" and separator '/'; sovereign: "Sent"/
/// "Trash" and separator '.'), a real redis-server, and the sync part as the gateway registers it, with its own key
/// prefix. Each test owns one.
/// </summary>
public sealed class SyncHarness : IAsyncDisposable
{
    public const string Alice = "alice@demo.test";
    public const string Bob = "bob@demo.test";

    private readonly ServiceProvider _services;

    private SyncHarness(DovecotServer primary, DovecotServer sovereign, RedisServer redis, TempDirectory dir, ServiceProvider services)
    {
        Primary = primary;
        Sovereign = sovereign;
        Redis = redis;
        Dir = dir;
        _services = services;
    }

    public DovecotServer Primary { get; }

    public DovecotServer Sovereign { get; }

    public RedisServer Redis { get; }

    public TempDirectory Dir { get; }

    internal MailboxSynchronizer Synchronizer => _services.GetRequiredService<MailboxSynchronizer>();

    internal FolderCheckpointStore Checkpoints => _services.GetRequiredService<FolderCheckpointStore>();

    public RouteTable Routes => _services.GetRequiredService<RouteTable>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <param name="settings">Keys under <c>Continuity:</c>, on top of the defaults (e.g. <c>Mail:Sync:Tenants:demo:Deletions</c>).</param>
    /// <param name="sovereignDovecot">Extra dovecot.conf lines for the sovereign server.</param>
    /// <param name="primaryDovecot">Extra dovecot.conf lines for the primary server.</param>
    /// <param name="users">The tenant's users (default alice and bob).</param>
    public static SyncHarness Start(
        IDictionary<string, string?>? settings = null, string? sovereignDovecot = null, string? primaryDovecot = null, string[]? users = null,
        ILoggerProvider? logs = null)
    {
        users ??= [Alice, Bob];
        var primary = DovecotServer.Start("primary", users);
        var sovereign = DovecotServer.Start("sovereign", users);
        var redis = new RedisServer();
        var dir = new TempDirectory("sync");
        primary.ConfigureNamespace('/', new Dictionary<string, string> { ["Sent Items"] = @"\Sent", ["Drafts"] = @"\Drafts", ["Deleted Items"] = @"\Trash" }, primaryDovecot);
        sovereign.ConfigureNamespace('.', new Dictionary<string, string> { ["Sent"] = @"\Sent", ["Drafts"] = @"\Drafts", ["Trash"] = @"\Trash" }, sovereignDovecot);

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["DataDir"] = dir.Path,
            ["State:Redis"] = redis.ConnectionString,
            ["State:KeyPrefix"] = $"{{sync-{Guid.NewGuid():N}}}:",
            ["Tenants:demo:Domains:0"] = "demo.test",
            ["Tenants:demo:DefaultProvider"] = "primary",
            ["Tenants:demo:SovereignProvider"] = "sovereign",
            ["Mail:Sync:Tenants:demo:Enabled"] = "true",
        };
        for (var i = 0; i < users.Length; i++)
        {
            values[$"Tenants:demo:Users:{i.ToString(CultureInfo.InvariantCulture)}"] = users[i];
        }

        foreach (var (name, server) in new[] { ("primary", primary), ("sovereign", sovereign) })
        {
            values[$"Tenants:demo:Providers:{name}:Mail:Imap"] = server.ImapUri;
            values[$"Tenants:demo:Providers:{name}:Mail:Login:Master"] = DovecotServer.MasterUser;
            values[$"Tenants:demo:Providers:{name}:Mail:Login:MasterPassword"] = DovecotServer.MasterPassword;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values.Select(kv => KeyValuePair.Create("Continuity:" + kv.Key, kv.Value))).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b =>
        {
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ContinuityOptions>().Bind(configuration.GetSection(ContinuityOptions.SectionName));
        services.AddSingleton<StateStore>();
        services.AddSingleton<RouteTable>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<Continuity.Core.Approvals.ApprovalStore>();
        services.AddSingleton<RouteStore>();
        services.AddSingleton(new Continuity.Core.Audit.AuditKey(new byte[32])); // a test key: no file
        services.AddSingleton<Continuity.Core.Audit.AuditLog>();
        services.AddSingleton<Continuity.Core.Failover.FailoverService>();
        services.AddSingleton<RouteSnapshotService>(); // the signal service refreshes this node's table after a route it moved
        services.AddSingleton<Continuity.Core.Health.BackendHealthRegistry>();
        services.AddSingleton<Continuity.Core.Signals.WithheldSuggestions>();
        services.AddSingleton<Continuity.Core.Signals.ICutoffSignals, Continuity.Core.Signals.CutoffSignalService>();
        services.AddContinuityMailboxSync();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<MailboxSyncOptions>>().Value;
        return new SyncHarness(primary, sovereign, redis, dir, provider);
    }

    internal Task<MailboxSyncResult> SyncAsync(string user = Alice, SyncDirection direction = SyncDirection.Forward) =>
        Synchronizer.SyncAsync("demo", user, direction, null, CancellationToken.None);

    public Task<TestMailbox> PrimaryMailboxAsync(string user = Alice) => TestMailbox.ConnectAsync(Primary, user);

    public Task<TestMailbox> SovereignMailboxAsync(string user = Alice) => TestMailbox.ConnectAsync(Sovereign, user);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Primary.Dispose();
        Sovereign.Dispose();
        Redis.Dispose();
        Dir.Dispose();
    }

    internal static string Uid(uint uid) => uid.ToString(CultureInfo.InvariantCulture);
}
