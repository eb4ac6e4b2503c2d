using Continuity.Gateway.Tests.Support;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Accounts;

/// <summary>The account verbs of the CLI against a real gateway (in this process).</summary>
[Trait("Category", "Server")]
public sealed class AccountsCliTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    [Fact]
    public async Task ImportShowRevoke_CsvAndJsonFiles_HumanOutputAndExitCodes()
    {
        await using var gateway = await DemoGateway.StartWithUpstreamsAsync(redis.Server.ConnectionString);
        using var dir = new TempDirectory("accounts-cli");
        var csv = dir.Combine("links.csv");
        await File.WriteAllTextAsync(csv, "email,provider,subject,name\nalice@demo.test,primary,p-alice,Alice Arbiter\n");
        var json = dir.Combine("links.json");
        await File.WriteAllTextAsync(json, """[{"email":"alice@demo.test","links":[{"provider":"sovereign","subject":"s-alice"}]}]""");
        var bad = dir.Combine("bad.csv");
        await File.WriteAllTextAsync(bad, "alice@demo.test,primary,p-alice\neve@evil.test,primary,p-eve\n");
        string[] conn = ["--url", gateway.BaseAddress.ToString(), "--api-key", DemoGateway.OpsKey];

        var fromCsv = await InProcessCli.RunAsync(["accounts", "import", "--tenant", "demo", csv, .. conn]);
        var fromJson = await InProcessCli.RunAsync(["accounts", "import", "--tenant", "demo", json, .. conn]);
        var rejected = await InProcessCli.RunAsync(["accounts", "import", "--tenant", "demo", bad, .. conn]);
        var show = await InProcessCli.RunAsync(["accounts", "show", "--tenant", "demo", "alice@demo.test", .. conn]);
        var revoke = await InProcessCli.RunAsync(["accounts", "revoke", "--tenant", "demo", "alice@demo.test", "--reason", "device stolen", .. conn]);
        var noReason = await InProcessCli.RunAsync(["accounts", "revoke", "--tenant", "demo", "alice@demo.test", .. conn]);
        var missing = await InProcessCli.RunAsync(["accounts", "show", "--tenant", "demo", "zed@demo.test", .. conn]);

        Assert.Equal(0, fromCsv.Code);
        Assert.Contains("1 link(s) read: 1 created, 0 already there, 0 conflict(s); 1 new account(s)", fromCsv.Out, StringComparison.Ordinal);
        Assert.Equal(0, fromJson.Code);
        Assert.Contains("1 created", fromJson.Out, StringComparison.Ordinal);
        Assert.Equal(1, rejected.Code);
        Assert.Contains("line 2: 'eve@evil.test' is not in the tenant's domains", rejected.Err, StringComparison.Ordinal);
        Assert.Equal(0, show.Code);
        Assert.Contains("alice@demo.test  account ", show.Out, StringComparison.Ordinal);
        Assert.Contains($"primary  {DemoGateway.PrimaryAuthority}  p-alice", show.Out, StringComparison.Ordinal);
        Assert.Contains($"sovereign  {DemoGateway.SovereignAuthority}  s-alice", show.Out, StringComparison.Ordinal);
        Assert.Equal(0, revoke.Code);
        Assert.Contains("alice@demo.test: sessions ended on every node, 0 token(s) and 0 authorization(s) revoked", revoke.Out, StringComparison.Ordinal);
        Assert.Equal(2, noReason.Code);
        Assert.Equal(1, missing.Code);
        Assert.Contains("404", missing.Err, StringComparison.Ordinal);
    }
}
