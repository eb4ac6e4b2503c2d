using Continuity.Core.Configuration;
using Continuity.Identity.Configuration;

namespace Continuity.Identity.Tests.Configuration;

[Trait("Category", "Server")]
public sealed class IdentityOptionsValidatorTests
{
    private static ContinuityOptions Core() => new()
    {
        Development = true, // generated identity keys allowed; the rule itself has its own tests below
        Tenants =
        {
            ["demo"] = new TenantOptions
            {
                Domains = ["demo.test"],
                DefaultProvider = "primary",
                Providers = { ["primary"] = new ProviderOptions { Identity = new ProviderIdentityOptions { Authority = "https://idp.test/", ClientId = "c" } } },
            },
        },
    };

    [Fact]
    public void Check_ManyMistakes_EveryErrorWithItsPath()
    {
        var options = new IdentityOptions
        {
            Tenants =
            {
                ["nope"] = new IdentityTenantOptions(),
                ["demo"] = new IdentityTenantOptions { Issuer = "ftp://x/", TrustedProviders = ["primary", "ghost"] },
            },
            Keys = new IdentityKeysOptions { Signing = [new() { Path = "/no/such.pem" }, new() { Path = "/a" }, new() { Path = "/b" }] },
            Clients =
            {
                ["web"] = new ClientOptions { SecretHash = "plain", RedirectUris = ["/relative"], Scopes = ["openid", "admin"] },
                ["svc"] = new ClientOptions { GrantTypes = ["client_credentials", "password"], Tenant = "other" },
            },
            Lifetimes = new TokenLifetimeOptions { AccessToken = TimeSpan.Zero },
        };

        var errors = IdentityOptionsValidator.Check(options, Core());

        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Tenants:nope:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Tenants:demo:Issuer:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Tenants:demo:TrustedProviders:1:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Keys:Signing:", StringComparison.Ordinal) && e.Contains("at most two", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Keys:Signing:0:Path:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Clients:web:SecretHash:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Clients:web:RedirectUris:0:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Clients:web:Scopes:1:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Clients:svc:GrantTypes:1:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Clients:svc:SecretHash:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Clients:svc:Tenant:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Identity:Lifetimes:AccessToken:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("javascript:alert(1)", false, true)]
    [InlineData("data:text/html,x", true, true)]
    [InlineData("com.example.app:/callback", true, true)]
    [InlineData("http://app.example/cb", true, true)]
    [InlineData("https://app.example/cb#frag", false, true)]
    [InlineData("https://user:pw@app.example/cb", false, true)]
    [InlineData("http://127.0.0.1:8765/cb", false, true)]
    [InlineData("http://127.0.0.1:8765/cb", true, false)]
    [InlineData("http://[::1]/cb", true, false)]
    [InlineData("https://app.example/cb", false, false)]
    public void Check_RedirectUri_HttpsOrLoopbackHttpInDevelopmentOnly(string uri, bool allowInsecureHttp, bool refused)
    {
        var core = Core();
        core.Tenants["demo"].Hosts.Login = "login.demo.test";
        var options = new IdentityOptions
        {
            AllowInsecureHttp = allowInsecureHttp,
            Clients = { ["app"] = new ClientOptions { RedirectUris = [uri], PostLogoutRedirectUris = [uri] } },
        };

        var errors = IdentityOptionsValidator.Check(options, core);

        Assert.Equal(refused, errors.Any(e => e.StartsWith("Continuity:Identity:Clients:app:RedirectUris:0:", StringComparison.Ordinal)));
        Assert.Equal(refused, errors.Any(e => e.StartsWith("Continuity:Identity:Clients:app:PostLogoutRedirectUris:0:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Check_TenantWithUpstreamButNoLoginHostOrIssuer_Error() =>
        Assert.Equal(["Continuity:Tenants:demo:Hosts:Login: is required for a tenant with identity upstreams (or set Continuity:Identity:Tenants:demo:Issuer)"],
            IdentityOptionsValidator.Check(new IdentityOptions(), Core()));

    [Fact]
    public void Check_MinimalValid_NoErrors()
    {
        var core = Core();
        core.Tenants["demo"].Hosts.Login = "login.demo.test";

        Assert.Empty(IdentityOptionsValidator.Check(new IdentityOptions(), core));
    }

    [Fact]
    public void Check_NoKeyFilesOutsideDevelopment_ErrorNamesTheSettings()
    {
        var core = Core();
        core.Tenants["demo"].Hosts.Login = "login.demo.test";
        core.Development = false;

        var errors = IdentityOptionsValidator.Check(new IdentityOptions(), core);

        var error = Assert.Single(errors);
        Assert.StartsWith("Continuity:Identity:Keys: Signing and Encryption key files are required", error, StringComparison.Ordinal);
        Assert.Contains("Continuity:Identity:AllowInsecureHttp", error, StringComparison.Ordinal);
        Assert.Contains("Continuity:Development", error, StringComparison.Ordinal);
        Assert.Empty(IdentityOptionsValidator.Check(new IdentityOptions { AllowInsecureHttp = true }, core));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(301)]
    public void Check_SessionRevocationCacheTtlOutOfRange_ErrorWithItsPath(int seconds) =>
        Assert.Contains("Continuity:Identity:SessionRevocationCacheTtl: must be between 0 (no cache) and 5 minutes",
            IdentityOptionsValidator.Check(new IdentityOptions { SessionRevocationCacheTtl = TimeSpan.FromSeconds(seconds) }, Core()));

    [Fact]
    public void Check_ProbeTimesOutOfRange_EachWithItsPath()
    {
        var tooFast = new IdentityOptions { Probes = new UpstreamProbeOptions { Interval = TimeSpan.FromMilliseconds(10), DownAfter = TimeSpan.FromSeconds(-1) } };
        var timeoutLongerThanInterval = new IdentityOptions { Probes = new UpstreamProbeOptions { Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(6) } };

        var first = IdentityOptionsValidator.Check(tooFast, Core()).Where(e => e.Contains(":Probes:", StringComparison.Ordinal));
        var second = IdentityOptionsValidator.Check(timeoutLongerThanInterval, Core()).Where(e => e.Contains(":Probes:", StringComparison.Ordinal));

        Assert.Equal(
            ["Continuity:Identity:Probes:Interval: must be between 1 s and 1 h", "Continuity:Identity:Probes:Timeout: must not be longer than Probes:Interval",
             "Continuity:Identity:Probes:DownAfter: must be between 0 and 1 day"],
            first);
        Assert.Equal(["Continuity:Identity:Probes:Timeout: must not be longer than Probes:Interval"], second);
        Assert.DoesNotContain(IdentityOptionsValidator.Check(new IdentityOptions(), Core()), e => e.Contains(":Probes:", StringComparison.Ordinal));
    }
}
