using Continuity.Core.Configuration;
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
        Assert.Contains(failures, f => f.StartsWith("Continuity:Web:AssertionLifetime:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Web:TrustedProxies:0:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Web:SessionCheckCacheTime:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Web:Apps:webmail:PublicPaths:0:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Web:Apps:webmail:Timeout:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Web:Apps:webmail:HealthPath:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Web:Apps:webmail:HealthInterval:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Web:Apps:webmail:HealthFailureThreshold:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Web:Apps:webmail:AssertionHeader:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Tenants:demo:Hosts:Apps:portal: host", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Tenants:demo:Providers:primary:Apps:portal:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Tenants:demo:Providers:primary:Apps:webmail:0:", StringComparison.Ordinal));
        Assert.Equal(12, failures.Count);
    }
}
