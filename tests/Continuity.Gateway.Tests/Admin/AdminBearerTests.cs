using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Mail;
using Continuity.Gateway.Tests.Support;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>
/// The admin API with access tokens of the gateway's own OIDC provider (code flow through the login page): the
/// <c>continuity_admin</c> scope and an address listed under the tenant's Admins are both needed; the role is the configured one.
/// </summary>
[Trait("Category", "Server")]
public sealed class AdminBearerTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    [Fact]
    public async Task AdminApi_BearerOfAdminNonAdminNoScopeNobody_200_403_403_401()
    {
        await using var bed = await TokenGateway.StartAsync(redis.Server.ConnectionString);
        var (admin, _) = await bed.GetTokenAsync("ops@demo.test", client: "admin-cli", scope: "openid email continuity_admin");
        var (user, _) = await bed.GetTokenAsync("alice@demo.test", client: "admin-cli", scope: "openid email continuity_admin");
        var (noScope, _) = await bed.GetTokenAsync("ops@demo.test", scope: "openid email mail");
        const string routes = "admin/api/tenants/demo/routes";

        using var asAdmin = bed.Client(admin);
        var adminAnswer = await asAdmin.GetAsync(routes);
        using var asUser = bed.Client(user);
        var userAnswer = await asUser.GetAsync(routes);
        using var withoutScope = bed.Client(noScope);
        var noScopeAnswer = await withoutScope.GetAsync(routes);
        using var nobody = bed.Client(null);
        var nobodyAnswer = await nobody.GetAsync(routes);
        using var forged = bed.Client(admin[..^4] + "AAAA");
        var forgedAnswer = await forged.GetAsync(routes);

        Assert.Equal(HttpStatusCode.OK, adminAnswer.StatusCode);
        Assert.Equal("primary", JsonNode.Parse(await adminAnswer.Content.ReadAsStringAsync())!["default"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, userAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noScopeAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, nobodyAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedAnswer.StatusCode);
    }

    [Fact]
    public async Task AdminApi_BearerOfOperatorAndViewer_RoleFromConfiguration_AuditedUnderTheirAddress()
    {
        await using var bed = await TokenGateway.StartAsync(redis.Server.ConnectionString);
        var (operatorToken, _) = await bed.GetTokenAsync("ops@demo.test", client: "admin-cli", scope: "openid email continuity_admin");
        var (viewerToken, _) = await bed.GetTokenAsync("auditor@demo.test", client: "admin-cli", scope: "openid email continuity_admin");
        using var asOperator = bed.Client(operatorToken);
        using var asViewer = bed.Client(viewerToken);

        var changed = await asOperator.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "bearer admin" });
        var byViewer = await asViewer.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "bob@demo.test", to = "sovereign", reason = "x" });
        var viewerReads = await asViewer.GetAsync("admin/api/tenants/demo/routes");
        var audit = JsonNode.Parse(await asOperator.GetStringAsync("admin/api/audit"))!.AsArray();

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewerReads.StatusCode);
        var change = Assert.Single(audit, r => r!["action"]!.GetValue<string>() == "route.changed");
        Assert.Equal(("ops@demo.test", "alice@demo.test"), (change!["actor"]!.GetValue<string>(), change["user"]!.GetValue<string>()));
    }
}
