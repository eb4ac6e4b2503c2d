using Continuity.Gateway.Tests.Support;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Cli;

/// <summary>The CLI verbs against a real gateway (in this process; the multi-node tests run it as a process).</summary>
[Trait("Category", "Server")]
public sealed class CliTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    [Fact]
    public async Task RouteSetShowAuditVerify_AgainstRunningNode_HumanOutputAndExitZero()
    {
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString);
        string[] conn = ["--url", gateway.BaseAddress.ToString(), "--api-key", DemoGateway.OpsKey];

        var set = await InProcessCli.RunAsync(["route", "set", "--tenant", "demo", "--user", "alice@demo.test", "--to", "sovereign", "--reason", "sanctioned", .. conn]);
        var show = await InProcessCli.RunAsync(["route", "show", .. conn]);
        var verify = await InProcessCli.RunAsync(["audit", "verify", .. conn]);
        var json = await InProcessCli.RunAsync(["route", "show", "--tenant", "demo", "--json", .. conn]);

        Assert.Equal(0, set.Code);
        Assert.Contains("alice@demo.test: primary → sovereign (route version 1)", set.Out, StringComparison.Ordinal);
        Assert.Equal(0, show.Code);
        Assert.Contains("alice@demo.test → sovereign", show.Out, StringComparison.Ordinal);
        Assert.Equal(0, verify.Code);
        Assert.Contains("audit chain of demo intact: 1 record(s)", verify.Out, StringComparison.Ordinal);
        Assert.Contains("\"alice@demo.test\": \"sovereign\"", json.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoPersonRule_ThroughTheCli_PendingThenApprovedBySecondAdmin()
    {
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString, approvals: 2);
        var url = gateway.BaseAddress.ToString();

        var set = await InProcessCli.RunAsync("route", "set", "--tenant", "demo", "--user", "bob@demo.test", "--to", "sovereign", "--reason", "drill", "--url", url, "--api-key", DemoGateway.OpsKey);
        var id = set.Out.Split("request ")[1].Split(' ')[0];
        var own = await InProcessCli.RunAsync("approve", id, "--url", url, "--api-key", DemoGateway.OpsKey);
        var second = await InProcessCli.RunAsync("approve", id, "--url", url, "--api-key", DemoGateway.SecondKey);

        Assert.Contains("waiting for approval", set.Out, StringComparison.Ordinal);
        Assert.Equal(1, own.Code);
        Assert.Contains("403", own.Err, StringComparison.Ordinal);
        Assert.Equal(0, second.Code);
        Assert.Contains($"request {id}: applied", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminVerbs_BadKeyMissingArgumentOrNoGateway_NonZeroWithReason()
    {
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString);

        var badKey = await InProcessCli.RunAsync("route", "show", "--url", gateway.BaseAddress.ToString(), "--api-key", "wrong");
        var missing = await InProcessCli.RunAsync("route", "set", "--tenant", "demo", "--to", "sovereign", "--url", gateway.BaseAddress.ToString(), "--api-key", DemoGateway.OpsKey);
        var nobody = await InProcessCli.RunAsync("route", "show", "--url", $"http://127.0.0.1:{FreePort.Next()}", "--api-key", "x");
        var unknown = await InProcessCli.RunAsync("frobnicate");
        var badVersion = await InProcessCli.RunAsync("route", "set", "--tenant", "demo", "--to", "sovereign", "--reason", "r", "--expected-version", "abc",
            "--url", gateway.BaseAddress.ToString(), "--api-key", DemoGateway.OpsKey);

        Assert.Equal((2, true), (badVersion.Code, badVersion.Err.Contains("--expected-version must be a route version number, not 'abc'", StringComparison.Ordinal)));
        Assert.Equal((1, true), (badKey.Code, badKey.Err.Contains("401", StringComparison.Ordinal)));
        Assert.Equal((2, true), (missing.Code, missing.Err.Contains("'--reason' is required", StringComparison.Ordinal)));
        Assert.Equal((1, true), (nobody.Code, nobody.Err.Contains("cannot reach the gateway", StringComparison.Ordinal)));
        Assert.Equal(2, unknown.Code);
    }

    [Fact]
    public async Task ConfigCheck_BrokenFile_ListsEveryErrorWithPathAndFails()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("bad.json");
        await File.WriteAllTextAsync(file, """
            { "Continuity": { "Tenants": { "demo": {
                "Domains": [ "demo.test" ], "DefaultProvider": "nowhere",
                "Failover": { "Approvals": 5 },
                "Providers": { "primary": { "Mail": { "Inbound": "ftp://x:1" } } } } } } }
            """);

        var check = await InProcessCli.RunAsync("config", "check", "--config", file);
        var serve = await InProcessCli.RunAsync("serve", "--config", file, "--urls", $"http://127.0.0.1:{FreePort.Next()}");
        var good = await InProcessCli.RunAsync("config", "check", "--config", Path.Combine(RepoRoot(), "config", "demo.json"));

        Assert.Equal(2, check.Code);
        Assert.Contains("Continuity:Tenants:demo:DefaultProvider: 'nowhere'", check.Err, StringComparison.Ordinal);
        Assert.Contains("Continuity:Tenants:demo:Failover:Approvals: must be 1 or 2", check.Err, StringComparison.Ordinal);
        Assert.Contains("Continuity:Tenants:demo:Providers:primary:Mail:Inbound:", check.Err, StringComparison.Ordinal);
        Assert.Equal(2, serve.Code);
        Assert.Contains("Continuity:Tenants:demo:Failover:Approvals", serve.Err, StringComparison.Ordinal);
        Assert.Equal(0, good.Code);
    }

    [Fact]
    public async Task ConfigCheck_ErrorsInAPartsOwnSection_ListedBeforeAnythingStarts()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("parts.json");
        await File.WriteAllTextAsync(file, """
            { "Continuity": {
                "DataDir": "DATA",
                "Tenants": { "demo": { "Domains": [ "demo.test" ], "DefaultProvider": "primary",
                  "Providers": { "primary": { "Mail": { "Imap": "imap://127.0.0.1:1" } } } } },
                "Mail": { "Limits": { "MaxMessageSize": -5 } } } }
            """.Replace("DATA", dir.Combine("data"), StringComparison.Ordinal));

        var check = await InProcessCli.RunAsync("config", "check", "--config", file);
        var serve = await InProcessCli.RunAsync("serve", "--config", file, "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        Assert.Equal(2, check.Code);
        Assert.Contains("Continuity:Tenants:demo:Providers:primary:Mail:Login:Master:", check.Err, StringComparison.Ordinal);
        Assert.Contains("Continuity:Mail:Limits:MaxMessageSize", check.Err, StringComparison.Ordinal);
        Assert.Equal(2, serve.Code);
        Assert.Contains("Continuity:Tenants:demo:Providers:primary:Mail:Login:Master:", serve.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("data", "state")), "nothing was started: no embedded store was created");
    }

    [Fact]
    public async Task ApiKeyNew_PrintsKeyAndMatchingHash()
    {
        var result = await InProcessCli.RunAsync("apikey", "new");

        var key = result.Out.Split('\n')[0]["key:".Length..].Trim();
        var hash = result.Out.Split('\n')[1]["hash:".Length..].Trim();
        Assert.Equal(Continuity.Core.Credentials.SecretHash.Of(key), hash);
        Assert.Matches("^sha256:[0-9a-f]{64}$", hash);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Continuity.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Continuity.sln not found above the test directory");
    }
}
