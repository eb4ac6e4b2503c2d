using System.Net;
using Continuity.Core.Audit;

namespace Continuity.Identity.Tests.Federation;

/// <summary>
/// Profile <c>Entra</c> against an Entra-shaped oidc-provider: the stable id is <c>oid</c> (Entra's
/// <c>sub</c> is pairwise), <c>tid</c> must be the configured tenant, <c>email</c> is never used to
/// link ("nOAuth": it is mutable and unverified), <c>preferred_username</c> only in the tenant's domains.
/// </summary>
[Trait("Category", "Server")]
public sealed class EntraProfileTests
{
    [Fact]
    public async Task Login_PreferredUsernameInTenantDomain_LinksAndSubjectSurvivesSovereign()
    {
        await using var world = await FederationWorld.StartAsync();

        var viaPrimary = await GenericProfileTests.SignInAsync(world, "alice@demo.test");
        var viaSovereign = await GenericProfileTests.SignInAsync(world, "alice@demo.test", provider: "sovereign");

        Assert.Equal(world.Issuer.AbsoluteUri, viaPrimary.Issuer);
        Assert.Equal("alice@demo.test", viaPrimary.Email);
        Assert.NotEqual(world.PrimarySubjects["alice@demo.test"], viaPrimary.Subject);
        Assert.DoesNotContain(world.PrimarySubjects["alice@demo.test"], viaPrimary.IdToken ?? "", StringComparison.Ordinal);
        Assert.Equal((viaPrimary.Issuer, viaPrimary.Subject, viaPrimary.Email), (viaSovereign.Issuer, viaSovereign.Subject, viaSovereign.Email));
        Assert.Equal(["alice@demo.test"], await world.Primary.LoginsAsync());
    }

    [Fact]
    public async Task Login_TenantIdOfAnotherTenant_RefusedWithForbiddenPage()
    {
        await using var world = await FederationWorld.StartAsync();
        await world.Primary.SetClaimsAsync("bob@demo.test", new Dictionary<string, object?> { ["tid"] = Guid.NewGuid().ToString() });

        using var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "bob@demo.test");

        Assert.True(page.Status == HttpStatusCode.Forbidden, $"{page.Status} at {page.Url}: {GenericProfileTests.Head(page.Body)}\n{world.Describe()}");
        Assert.DoesNotContain(browser.Visited, u => u.AbsoluteUri.StartsWith(world.Rp.RedirectUri.AbsoluteUri, StringComparison.Ordinal));
        var records = await world.A.Get<AuditLog>().TailAsync("demo", 20);
        Assert.DoesNotContain(records, r => r.Action == "identity.link.created");
    }

    [Fact]
    public async Task Login_AttackerEmailClaimIsAlicesAddressOutsideTenantDomain_RefusedAliceUntouched()
    {
        await using var world = await FederationWorld.StartAsync();
        var alice = await GenericProfileTests.SignInAsync(world, "alice@demo.test", provider: "sovereign");

        // mallory's Entra account: email = alice@demo.test (anyone can set it), preferred_username mallory@evil.test.
        using var browser = new Browser();
        var page = await browser.NavigateAsync(new Uri(world.Rp.BaseUri, "me"), "mallory@demo.test");

        Assert.True(page.Status == HttpStatusCode.Forbidden, $"{page.Status} at {page.Url}: {GenericProfileTests.Head(page.Body)}\n{world.Describe()}");
        Assert.DoesNotContain(alice.Subject!, page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Visited, u => u.AbsoluteUri.StartsWith(world.Rp.RedirectUri.AbsoluteUri, StringComparison.Ordinal));
        var records = await world.A.Get<AuditLog>().TailAsync("demo", 30);
        Assert.Single(records, r => r.Action == "identity.link.created");
    }

    [Fact]
    public async Task Login_AttackerEmailClaimIsAlicesAddressInsideTenantDomain_GetsOwnAccountNotAlices()
    {
        await using var world = await FederationWorld.StartAsync();
        var alice = await GenericProfileTests.SignInAsync(world, "alice@demo.test");
        await world.Primary.SetClaimsAsync("mallory@demo.test", new Dictionary<string, object?>
        {
            ["email"] = "alice@demo.test",
            ["preferred_username"] = "mallory@demo.test",
        });

        var mallory = await GenericProfileTests.SignInAsync(world, "mallory@demo.test");

        Assert.NotEqual(alice.Subject, mallory.Subject);
        Assert.Equal("mallory@demo.test", mallory.Email);
        Assert.Equal(world.Issuer.AbsoluteUri, mallory.Issuer);
    }

    [Fact]
    public async Task Login_PreferredUsernameChangedSameOid_SameAccount()
    {
        // A rename at Entra changes preferred_username; oid stays, and so does the account.
        await using var world = await FederationWorld.StartAsync();
        var first = await GenericProfileTests.SignInAsync(world, "carol@demo.test");
        await world.Primary.SetClaimsAsync("carol@demo.test", new Dictionary<string, object?>
        {
            ["preferred_username"] = "carol.renamed@demo.test",
        });

        var second = await GenericProfileTests.SignInAsync(world, "carol@demo.test");

        Assert.Equal(first.Subject, second.Subject);
        Assert.Equal("carol@demo.test", second.Email);
    }

    [Fact]
    public async Task Login_NoPreferredUsernameButUpnInTenantDomain_Links()
    {
        await using var world = await FederationWorld.StartAsync();
        await world.Primary.SetClaimsAsync("bob@demo.test", new Dictionary<string, object?>
        {
            ["preferred_username"] = null,
            ["upn"] = "bob@demo.test",
            ["email"] = null,
        });

        var bob = await GenericProfileTests.SignInAsync(world, "bob@demo.test");

        Assert.Equal("bob@demo.test", bob.Email);
        Assert.NotEqual(world.PrimarySubjects["bob@demo.test"], bob.Subject);
    }
}
