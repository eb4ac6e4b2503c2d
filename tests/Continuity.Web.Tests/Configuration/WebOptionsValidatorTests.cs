using Continuity.Core.Configuration;
using Continuity.Testing;
using Continuity.Web.Configuration;
using Microsoft.Extensions.Options;

namespace Continuity.Web.Tests.Configuration;

public sealed class WebOptionsValidatorTests
{
    [Fact]
    public void Validate_BadSettings_ListsEveryErrorWithItsPath()
    {
        var tenant = new TenantOptions { DefaultProvider = "primary" };
        tenant.Hosts.Apps["webmail"] = "webmail.demo.test";
        tenant.Hosts.Apps["portal"] = "webmail.demo.test";
        tenant.Providers["primary"] = new ProviderOptions();
        tenant.Providers["primary"].Apps["webmail"] = ["ftp://nope"];
        var continuity = new ContinuityOptions();
        continuity.Tenants["demo"] = tenant;
        var web = new WebOptions { AssertionLifetime = TimeSpan.FromMinutes(5), TrustedProxies = ["not-an-ip"], SessionCheckCacheTime = TimeSpan.FromMinutes(1) };
        web.Apps["webmail"] = new WebAppOptions
        {
            PublicPaths = ["static"],
            Timeout = TimeSpan.Zero,
            HealthPath = "health",
            HealthInterval = TimeSpan.Zero,
            HealthFailureThreshold = 0,
            AssertionHeader = "X Bad",
        };

        var result = new WebOptionsValidator(Options.Create(continuity)).Validate(null, web);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        ConfigErrors.AssertEachPath(
            failures,
            "Continuity:Web:AssertionLifetime:",
            "Continuity:Web:TrustedProxies:0:",
            "Continuity:Web:SessionCheckCacheTime:",
            "Continuity:Web:Apps:webmail:PublicPaths:0:",
            "Continuity:Web:Apps:webmail:Timeout:",
            "Continuity:Web:Apps:webmail:HealthPath:",
            "Continuity:Web:Apps:webmail:HealthInterval:",
            "Continuity:Web:Apps:webmail:HealthFailureThreshold:",
            "Continuity:Web:Apps:webmail:AssertionHeader:",
            "Continuity:Tenants:demo:Hosts:Apps:portal: host",
            "Continuity:Tenants:demo:Providers:primary:Apps:portal:",
            "Continuity:Tenants:demo:Providers:primary:Apps:webmail:0:");
        Assert.Equal(12, failures.Count);
    }
}
