using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Testing;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.MultiNode;

/// <summary>One gateway process on a real redis-server, shared by the CLI tests of this class.</summary>
public sealed class CliNodeFixture : IAsyncLifetime
{
    /// <summary>Users only <see cref="CliAgainstRunningNodeTests.RouteSet_UserToSovereign_ChangesTheNodesRouteAndExitsZero"/> moves.</summary>
    public const string Dave = "dave@demo.test";

    /// <summary>A user no test moves.</summary>
    public const string Erin = "erin@demo.test";

    private RedisServer? _redis;

    public GatewayProcess Node { get; private set; } = null!;

    public RedisServer Redis => _redis!;

    public string Url => Node.BaseAddress.ToString();

    public async Task InitializeAsync()
    {
        _redis = new RedisServer();
        try
        {
            var options = GatewayConfig.Demo(_redis.ConnectionString);
            options.Tenants[Tenant].Users.AddRange([Dave, Erin]);
            Node = await GatewayProcess.StartAsync("cli", options);
            await Node.WaitSyncedAsync();
            await Eventually.TrueAsync(async () => (await Node.Admin.GetStringAsync($"admin/api/tenants/{Tenant}/users")).Contains(Erin, StringComparison.Ordinal),
                TimeSpan.FromSeconds(20), "the node seeded the configured users into the store");
        }
        catch
        {
            // Stop what started even if the runner does not dispose a fixture whose start failed.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }

        _redis?.Dispose();
        _redis = null;
    }
}

/// <summary>
/// The <c>continuity</c> admin verbs run as processes against a running node, as an operator runs
/// them: exit code 0 and readable output on success, 1 with the API's reason on failure, 2 for usage.
/// Tests in this class run one after another on the same node (xunit runs a class sequentially).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CliAgainstRunningNodeTests(CliNodeFixture fixture) : IClassFixture<CliNodeFixture>
{
    [Fact]
    public async Task RouteSet_UserToSovereign_ChangesTheNodesRouteAndExitsZero()
    {
        // Arrange
        var before = await fixture.Node.RoutesAsync();
        Assert.Equal("primary", before.Resolve(CliNodeFixture.Dave));

        // Act
        var result = await Cli("route", "set", "--tenant", Tenant, "--user", CliNodeFixture.Dave, "--to", "sovereign", "--reason", "sanctions listing");

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        var after = await fixture.Node.RoutesAsync();
        Assert.Equal("sovereign", after.Resolve(CliNodeFixture.Dave));
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal($"{CliNodeFixture.Dave}: primary → sovereign (route version {after.Version})", result.Stdout.Trim());
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task RouteSet_AlreadyRoutedThere_ExitsZeroAndSaysNothingChanged()
    {
        // Arrange
        await Cli("route", "set", "--tenant", Tenant, "--user", Bob, "--to", "sovereign", "--reason", "first");

        // Act
        var result = await Cli("route", "set", "--tenant", Tenant, "--user", Bob, "--to", "sovereign", "--reason", "again");

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("already routed to sovereign; nothing changed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteShow_RunningNode_PrintsDefaultAndOverridesAsTextAndJson()
    {
        // Arrange
        await fixture.Node.ChangeRouteAsync(Carol, "sovereign", "drill");
        var routes = await fixture.Node.RoutesAsync();

        // Act
        var text = await Cli("route", "show", "--tenant", Tenant);
        var json = await Cli("route", "show", "--json");

        // Assert
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"tenant demo (route version {routes.Version}): default → primary", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  {Carol} → sovereign", text.Stdout, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        var parsed = JsonNode.Parse(json.Stdout)!.AsArray();
        var demo = Assert.Single(parsed);
        Assert.Equal("demo", demo!["tenant"]!.GetValue<string>());
        Assert.Equal("sovereign", demo["users"]![Carol]!.GetValue<string>());
    }

    [Fact]
    public async Task AuditVerify_IntactThenTamperedRecord_ExitsZeroThenOneNamingTheRecord()
    {
        // Arrange: at least one record, then the same chain with one record's reason rewritten in the store.
        await fixture.Node.ChangeRouteAsync(Alice, "primary", "failback");
        await fixture.Node.ChangeRouteAsync(Alice, "sovereign", "failover again");
        var intact = await Cli("audit", "verify");
        var key = fixture.Node.Options.State.KeyPrefix + "audit:demo:log";
        var original = await RedisCli.RunAsync(fixture.Redis.Port, "LINDEX", key, "0");
        var record = JsonNode.Parse(original)!;
        record["reason"] = "nothing to see here";
        await RedisCli.RunAsync(fixture.Redis.Port, "LSET", key, "0", record.ToJsonString());

        try
        {
            // Act
            var broken = await Cli("audit", "verify");
            var brokenJson = await Cli("audit", "verify", "--json");

            // Assert
            Assert.True(intact.ExitCode == 0, intact.ToString());
            Assert.Matches(@"^audit chain of demo intact: \d+ record\(s\)$", intact.Stdout.Trim());
            Assert.True(broken.ExitCode == 1, broken.ToString());
            Assert.StartsWith("AUDIT CHAIN BROKEN", broken.Stdout, StringComparison.Ordinal);
            Assert.Contains("record #1: its content does not match its hash", broken.Stdout, StringComparison.Ordinal);
            Assert.Equal(1, brokenJson.ExitCode);
            Assert.False(JsonDocument.Parse(brokenJson.Stdout).RootElement.GetProperty("intact").GetBoolean());
        }
        finally
        {
            await RedisCli.RunAsync(fixture.Redis.Port, "LSET", key, "0", original);
        }
    }

    [Fact]
    public async Task AuditChain_RewrittenConsistentlyWithoutTheKey_VerifyFailsAndHeadExportsTheRealHead()
    {
        // Arrange: someone with write access to the store (not to the node's key file) rewrites the tenant's whole
        // chain so that every link is a correct SHA-256 of its record — what an unkeyed chain could not tell apart.
        await fixture.Node.ChangeRouteAsync(Alice, "primary", "keyed chain");
        await fixture.Node.ChangeRouteAsync(Alice, "sovereign", "keyed chain again");
        var head = await Cli("audit", "head", "--tenant", Tenant);
        var prefix = fixture.Node.Options.State.KeyPrefix;
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var db = redis.GetDatabase();
        var original = await db.ListRangeAsync(prefix + "audit:demo:log");
        var originalHead = (string)(await db.StringGetAsync(prefix + "audit:demo:head"))!;
        var previous = "";
        var forged = new List<StackExchange.Redis.RedisValue>();
        foreach (var raw in original)
        {
            var record = Continuity.Core.Audit.AuditChain.TryParse(raw.ToString())! with { Reason = "routine", Prev = previous, Hash = "" };
            record = record with { Hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Continuity.Core.Audit.AuditChain.Serialize(record)))) };
            forged.Add(Continuity.Core.Audit.AuditChain.Serialize(record));
            previous = record.Hash;
        }

        try
        {
            await db.KeyDeleteAsync(prefix + "audit:demo:log");
            await db.ListRightPushAsync(prefix + "audit:demo:log", [.. forged]);
            await db.StringSetAsync(prefix + "audit:demo:head", previous);

            // Act
            var verify = await Cli("audit", "verify", "--tenant", Tenant);

            // Assert
            Assert.True(head.ExitCode == 0, head.ToString());
            Assert.Equal($"demo {original.Length} {originalHead}", head.Stdout.Trim());
            Assert.Matches("^[0-9a-f]{64}$", originalHead);
            Assert.True(verify.ExitCode == 1, verify.ToString());
            Assert.Contains("record #1: its content does not match its hash", verify.Stdout, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fixture.Node.DataDir, "keys", "audit.key")));
        }
        finally
        {
            await db.KeyDeleteAsync(prefix + "audit:demo:log");
            await db.ListRightPushAsync(prefix + "audit:demo:log", original);
            await db.StringSetAsync(prefix + "audit:demo:head", originalHead);
        }
    }

    [Fact]
    public async Task ReadVerbs_EachFamily_ExitZeroWithHumanOutputOrOneWithTheApisReason()
    {
        // Act
        var users = await Cli("users", "list", "--tenant", Tenant);
        var approvals = await Cli("approvals");
        var pending = await Cli("pending", "--json");
        var queue = await Cli("queue");
        var queueJson = await Cli("queue", "list", "--state", "pending", "--json");
        var audit = await Cli("audit", "show", "--count", "5");
        var noMessage = await Cli("queue", "show", "no-such-message");
        var noRequest = await Cli("reject", "no-such-request", "--reason", "typo");

        // Assert
        Assert.True(users.ExitCode == 0, users.ToString());
        Assert.Contains($"{CliNodeFixture.Erin}  → primary", users.Stdout, StringComparison.Ordinal);
        Assert.True(approvals.ExitCode == 0, approvals.ToString());
        Assert.Contains("no pending requests", approvals.Stdout, StringComparison.Ordinal);
        Assert.Empty(JsonNode.Parse(pending.Stdout)!.AsArray());
        Assert.True(queue.ExitCode == 0, queue.ToString());
        Assert.Contains("message(s) in this node's queue", queue.Stdout, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(queueJson.Stdout)!["messages"]);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.True(noMessage.ExitCode == 1, noMessage.ToString());
        Assert.Contains("error: 404", noMessage.Stderr, StringComparison.Ordinal);
        Assert.True(noRequest.ExitCode == 1, noRequest.ToString());
        Assert.Contains("error: 404", noRequest.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditHead_OfAnotherTenant_Refused()
    {
        var other = await Cli("audit", "head", "--tenant", "other");
        var missing = await Cli("audit", "head");

        Assert.True(other.ExitCode == 1, other.ToString());
        Assert.Contains("error: 403", other.Stderr, StringComparison.Ordinal);
        Assert.True(missing.ExitCode == 2, missing.ToString());
    }

    [Theory]
    [InlineData("wrong-key", "sovereign", "x", 1, "error: 401")]
    [InlineData(ViewerKey, "sovereign", "x", 1, "error: 403")]
    [InlineData(OpsKey, "nowhere", "x", 1, "error: 400 Bad request: 'nowhere' is not a provider of tenant 'demo'")]
    [InlineData(OpsKey, "sovereign", "", 2, "--reason is required")]
    public async Task RouteSet_BadRequest_ExitsNonZeroWithTheReasonAndChangesNothing(string key, string to, string reason, int exitCode, string message)
    {
        // Arrange
        var before = await fixture.Node.RoutesAsync();

        // Act
        var result = await GatewayCli.RunAsync(
            "route", "set", "--tenant", Tenant, "--user", CliNodeFixture.Erin, "--to", to, "--reason", reason, "--url", fixture.Url, "--api-key", key);

        // Assert
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        Assert.Equal(before.Version, (await fixture.Node.RoutesAsync()).Version);
    }

    [Fact]
    public async Task RouteShow_NoGatewayAtTheUrl_ExitsOneSayingItCannotReachIt()
    {
        // Arrange
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}";

        // Act
        var result = await GatewayCli.RunAsync("route", "show", "--url", nowhere, "--api-key", OpsKey);

        // Assert
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"cannot reach the gateway at {nowhere}/", result.Stderr, StringComparison.Ordinal);
    }

    private Task<GatewayCliResult> Cli(params string[] args) =>
        GatewayCli.RunAsync([.. args, "--url", fixture.Url, "--api-key", OpsKey]);
}
