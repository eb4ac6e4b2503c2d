using Continuity.Core.Configuration;

namespace Continuity.Core.Tests.Configuration;

public sealed class ContinuityOptionsValidatorTests
{
    private static ContinuityOptions Valid() => CoreHarness.DemoOptions("data", null, "{continuity}:");

    [Fact]
    public void Check_DemoShape_NoErrors()
    {
        Assert.Empty(ContinuityOptionsValidator.Check(Valid()));
    }

    [Fact]
    public void Check_ExternalStoreWithoutDataProtectionKey_ErrorUnlessDevelopment()
    {
        var options = Valid();
        options.State.Redis = "127.0.0.1:6379";

        var errors = ContinuityOptionsValidator.CheckStoreSecrets(options);
        options.Development = true;
        var development = ContinuityOptionsValidator.CheckStoreSecrets(options);
        options.Development = false;
        options.DataProtection.KeyFile = "/no/such/key";
        options.Audit.KeyFile = "/no/such/audit-key";
        var withFile = ContinuityOptionsValidator.CheckStoreSecrets(options);
        var missingFile = ContinuityOptionsValidator.Check(options);

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("Continuity:DataProtection:KeyFile: is required with an external state store", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Continuity:Audit:KeyFile: is required with an external state store", errors[1], StringComparison.Ordinal);
        Assert.Empty(development);
        Assert.Empty(withFile);
        Assert.Equal([
            "Continuity:DataProtection:KeyFile: '/no/such/key' does not exist (make one with: openssl rand -base64 32 > FILE; chmod 600 FILE)",
            "Continuity:Audit:KeyFile: '/no/such/audit-key' does not exist (make one with: openssl rand -base64 32 > FILE; chmod 600 FILE)",
        ], missingFile);
    }

    [Fact]
    public void Check_ManyMistakes_ReportsEveryOneWithItsPath()
    {
        var options = Valid();
        var demo = options.Tenants["demo"];
        demo.DefaultProvider = "nowhere";
        demo.SovereignProvider = "mars";
        demo.Domains.Add("not a domain");
        demo.Failover.Approvals = 3;
        demo.Users.Add("alice@elsewhere.test");
        demo.Admins["ops@demo.test"] = new AdminOptions { ApiKeyHashes = ["plain-text-key"] };
        demo.Providers["primary"].Identity = new ProviderIdentityOptions { Authority = "not a url", ClientId = "" };
        demo.Providers["primary"].Mail = new ProviderMailOptions { Inbound = "ftp://mx:21", Imap = "imap://host" };
        demo.Providers["sovereign"].Apps["webmail"] = ["webmail.example"];
        options.Listeners.Smtp = 70000;
        options.State.RouteRecheckInterval = TimeSpan.Zero;

        var errors = ContinuityOptionsValidator.Check(options);

        string[] expected =
        [
            "Continuity:Tenants:demo:DefaultProvider: 'nowhere' is not one of the tenant's providers",
            "Continuity:Tenants:demo:SovereignProvider: 'mars'",
            "Continuity:Tenants:demo:Domains:1: 'not a domain' is not a domain name",
            "Continuity:Tenants:demo:Failover:Approvals: must be 1 or 2",
            "Continuity:Tenants:demo:Users:0: 'alice@elsewhere.test'",
            "Continuity:Tenants:demo:Admins:ops@demo.test:ApiKeyHashes:0: must be 'sha256:'",
            "Continuity:Tenants:demo:Providers:primary:Identity:Authority:",
            "Continuity:Tenants:demo:Providers:primary:Identity:ClientId: is required",
            "Continuity:Tenants:demo:Providers:primary:Mail:Inbound: 'ftp://mx:21'",
            "Continuity:Tenants:demo:Providers:primary:Mail:Imap: 'imap://host'",
            "Continuity:Tenants:demo:Providers:sovereign:Apps:webmail:0:",
            "Continuity:Listeners:Smtp: 70000 is not a TCP port",
            "Continuity:State:RouteRecheckInterval:",
        ];
        Assert.All(expected, e => Assert.Contains(errors, actual => actual.StartsWith(e, StringComparison.Ordinal)));
        Assert.Equal(expected.Length, errors.Count);
    }

    [Theory]
    [InlineData(1, 10, "Continuity:Tenants:demo:Failover:TenantSignalUsers: must be 0 (off) or between 2 and 100000, not 1")]
    [InlineData(-3, 10, "Continuity:Tenants:demo:Failover:TenantSignalUsers: must be 0 (off) or between 2 and 100000, not -3")]
    [InlineData(5, 0, "Continuity:Tenants:demo:Failover:TenantSignalWindow: must be between 00:01:00 and 1.00:00:00")]
    [InlineData(5, 2000, "Continuity:Tenants:demo:Failover:TenantSignalWindow: must be between 00:01:00 and 1.00:00:00")]
    public void Check_TenantSignalThresholdOutOfRange_Reported(int users, int windowMinutes, string expected)
    {
        var options = Valid();
        options.Tenants["demo"].Failover.TenantSignalUsers = users;
        options.Tenants["demo"].Failover.TenantSignalWindow = TimeSpan.FromMinutes(windowMinutes);

        Assert.Equal(expected, Assert.Single(ContinuityOptionsValidator.Check(options)));
    }

    [Fact]
    public void Check_DrillUserOutsideTheTenantsDomains_ReportedWithItsIndex()
    {
        var options = Valid();
        options.Tenants["demo"].Failover.DrillUsers = ["drill@demo.test", "mallory@elsewhere.example"];

        Assert.Equal("Continuity:Tenants:demo:Failover:DrillUsers:1: 'mallory@elsewhere.example' is not an address in the tenant's domains",
            Assert.Single(ContinuityOptionsValidator.Check(options)));
    }

    [Fact]
    public void Check_DomainClaimedByTwoTenantsAndSharedKey_BothReported()
    {
        var options = Valid();
        const string hash = "sha256:c7d3bcd76d31ed8b7760c96ee2c7b910402310b10ee17bf390c81f2574b119bc";
        options.Tenants["demo"].Admins["ops@demo.test"] = new AdminOptions { ApiKeyHashes = [hash] };
        options.Tenants["other"] = new TenantOptions
        {
            Domains = ["DEMO.test"],
            DefaultProvider = "primary",
            Providers = { ["primary"] = new ProviderOptions() },
            Admins = { ["ops@other.test"] = new AdminOptions { ApiKeyHashes = [hash] } },
        };

        var errors = ContinuityOptionsValidator.Check(options);

        Assert.Contains("Continuity:Tenants:other:Domains:0: 'DEMO.test' already belongs to tenant 'demo'", errors);
        Assert.Contains("Continuity:Tenants:other:Admins:ops@other.test:ApiKeyHashes:0: the same key already belongs to demo/ops@demo.test", errors);
    }

    [Fact]
    public void Check_NoTenants_Reported()
    {
        var errors = ContinuityOptionsValidator.Check(new ContinuityOptions());

        Assert.Equal(["Continuity:Tenants: at least one tenant is required"], errors);
    }
}
