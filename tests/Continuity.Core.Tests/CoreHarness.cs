using Continuity.Core.Approvals;
using Continuity.Core.Audit;
using Continuity.Core.Configuration;
using Continuity.Core.Failover;
using Continuity.Core.Health;
using Continuity.Core.Routing;
using Continuity.Core.Signals;
using Continuity.Core.State;
using Continuity.Core.Users;
using Continuity.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Core.Tests;

/// <summary>
/// The Core services wired by hand against one store, under a key prefix of their own so tests
/// sharing a server never see each other's keys. Time is fake.
/// </summary>
internal sealed class CoreHarness : IDisposable
{
    private readonly TempDirectory _dir = new("core");

    public CoreHarness(string connectionString, Action<TenantOptions>? configure = null, string? prefix = null)
    {
        Options = DemoOptions(_dir.Path, connectionString, prefix ?? "{t" + Guid.NewGuid().ToString("N")[..12] + "}:");
        configure?.Invoke(Options.Tenants["demo"]);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Store = new StateStore(options, NullLoggerFactory.Instance);
        Routes = new RouteStore(Store, options, AuditKey, Time);
        Audit = new AuditLog(Store, AuditKey, Time);
        Approvals = new ApprovalStore(Store);
        Users = new UserDirectory(Store);
        Failover = new FailoverService(options, Routes, Approvals, Audit, Users, Time);
        Backends = new BackendHealthRegistry(Time);
        Withheld = new WithheldSuggestions(Time);
        Signals = new CutoffSignalService(options, Table, Failover, Audit, SnapshotService(), Store, Backends, Withheld, Time, NullLogger<CutoffSignalService>.Instance);
        Users.AddAsync("demo", ["alice@demo.test", "bob@demo.test"]).GetAwaiter().GetResult();
    }

    public static readonly AdminActor Ops = new("ops@demo.test", "demo", AdminRole.Operator);
    public static readonly AdminActor Second = new("second@demo.test", "demo", AdminRole.Operator);
    public static readonly AdminActor Viewer = new("viewer@demo.test", "demo", AdminRole.Viewer);
    public static readonly AdminActor Stranger = new("ops@other.test", "other", AdminRole.Operator);

    public ContinuityOptions Options { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    public StateStore Store { get; }
    public RouteStore Routes { get; }
    public RouteTable Table { get; } = new();
    public AuditLog Audit { get; }

    /// <summary>
    /// The audit chains' HMAC key (random, kept outside the store, as in production). One for every harness of the
    /// run, as every node of a deployment is given the same key file: two harnesses on one prefix are two nodes.
    /// </summary>
    public AuditKey AuditKey { get; } = SharedAuditKey;

    private static readonly AuditKey SharedAuditKey = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public ApprovalStore Approvals { get; }
    public UserDirectory Users { get; }
    public FailoverService Failover { get; }
    public CutoffSignalService Signals { get; }

    /// <summary>This node's latest probe results (what the probers would have reported).</summary>
    public BackendHealthRegistry Backends { get; }

    public WithheldSuggestions Withheld { get; }
    public string DataDir => _dir.Path;

    /// <summary>Loads the store's routes into <see cref="Table"/> (what the snapshot service does on a message).</summary>
    public async Task<RouteSnapshot> SyncTableAsync()
    {
        var snapshot = await Routes.LoadAsync();
        Table.TrySwap(snapshot, allowOlder: true);
        return snapshot;
    }

    /// <summary>The node's snapshot service over this harness's store and table (its disk copy in <see cref="DataDir"/>).</summary>
    public RouteSnapshotService SnapshotService() =>
        new(Table, Routes, Store, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<RouteSnapshotService>.Instance);

    public static ContinuityOptions DemoOptions(string dataDir, string? redis, string prefix) => new()
    {
        DataDir = dataDir,
        State = new StateOptions { Redis = redis, KeyPrefix = prefix },
        Tenants =
        {
            ["demo"] = new TenantOptions
            {
                Domains = ["demo.test"],
                DefaultProvider = "primary",
                Providers = { ["primary"] = new ProviderOptions(), ["sovereign"] = new ProviderOptions() },
            },
        },
    };

    public void Dispose()
    {
        Store.Dispose();
        _dir.Dispose();
    }
}
