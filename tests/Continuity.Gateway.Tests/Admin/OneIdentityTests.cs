using System.Net;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Support;
using static Continuity.Gateway.Tests.Admin.AdminAttackBed;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>
/// Issue 16, item 1: one identity per admin request. The attacks of the review, sent to the running gateway: the demo
/// Operator key together with an ordinary user's session cookie used to authenticate as the user's name and tenant with
/// the key's role (the requester approved their own request; an Operator of <c>demo</c> acted in <c>other</c>; the audit
/// named the user). Now any request with two credentials is refused before it reaches an endpoint.
/// </summary>
[Trait("Category", "Server")]
public sealed class OneIdentityTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private const string Ops = DemoGateway.OpsKey;

    [Fact]
    public async Task Approve_OperatorKeyPlusUserCookie_400AndTheRequestStaysPending()
    {
        await using var bed = await StartAsync(redis.Server.ConnectionString);
        var pending = await bed.SendAsync(HttpMethod.Post, "admin/api/tenants/demo/routes", [Key(Ops)], """{"user":"alice@demo.test","to":"sovereign","reason":"drill"}""");
        var id = pending.Json!["request"]!["id"]!.GetValue<string>();
        var bob = await bed.SignInAsync("bob@demo.test");

        var keyAndCookie = await bed.SendAsync(HttpMethod.Post, $"admin/api/approvals/{id}/approve",
            [Key(Ops), Cookie(bob), ("X-Continuity-Csrf", "1"), ("Origin", bed.Origin)]);
        var apiKeyHeaderAndCookie = await bed.SendAsync(HttpMethod.Post, $"admin/api/approvals/{id}/approve",
            [("X-Api-Key", Ops), Cookie(bob), ("X-Continuity-Csrf", "1"), ("Origin", bed.Origin)]);
        var cookieAlone = await bed.SendAsync(HttpMethod.Post, $"admin/api/approvals/{id}/approve", [Cookie(bob), ("X-Continuity-Csrf", "1"), ("Origin", bed.Origin)]);
        var keyAlone = await bed.SendAsync(HttpMethod.Post, $"admin/api/approvals/{id}/approve", [Key(Ops)]);
        var after = await bed.SendAsync(HttpMethod.Get, $"admin/api/approvals/{id}", [Key(Ops)]);
        var routes = await bed.SendAsync(HttpMethod.Get, "admin/api/tenants/demo/routes", [Key(Ops)]);

        Assert.Equal(HttpStatusCode.Accepted, pending.Status);
        Assert.Equal(HttpStatusCode.BadRequest, keyAndCookie.Status);
        Assert.Equal("One credential per request", keyAndCookie.Json!["title"]!.GetValue<string>());
        Assert.Contains("an API key and a session cookie", keyAndCookie.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, apiKeyHeaderAndCookie.Status);
        Assert.Equal(HttpStatusCode.Forbidden, cookieAlone.Status);
        Assert.Equal(HttpStatusCode.Forbidden, keyAlone.Status);
        Assert.Equal("Pending", after.Json!["request"]!["status"]!.GetValue<string>());
        Assert.Equal(["ops@demo.test"], after.Json["request"]!["approvedBy"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Empty(routes.Json!["users"]!.AsObject());
    }

    [Fact]
    public async Task OtherTenant_DemoOperatorKeyPlusOtherUsersCookie_NoRouteRequestNoAppPassword()
    {
        await using var bed = await StartAsync(redis.Server.ConnectionString);
        var carol = await bed.SignInAsync("carol@other.test");

        var route = await bed.SendAsync(HttpMethod.Post, "admin/api/tenants/other/routes",
            [Key(Ops), Cookie(carol)], """{"user":"carol@other.test","to":"sovereign","reason":"x"}""");
        var password = await bed.SendAsync(HttpMethod.Post, "admin/api/tenants/other/users/carol@other.test/app-passwords",
            [Key(Ops), Cookie(carol)], """{"label":"attacker"}""");
        var keyAloneInOther = await bed.SendAsync(HttpMethod.Post, "admin/api/tenants/other/users/carol@other.test/app-passwords", [Key(Ops)], """{"label":"attacker"}""");
        var approvals = await bed.SendAsync(HttpMethod.Get, "admin/api/approvals", [Key(DemoGateway.OtherTenantKey)]);
        var passwords = await bed.SendAsync(HttpMethod.Get, "admin/api/tenants/other/users/carol@other.test/app-passwords", [Key(DemoGateway.OtherTenantKey)]);

        Assert.Equal(HttpStatusCode.BadRequest, route.Status);
        Assert.Equal(HttpStatusCode.BadRequest, password.Status);
        Assert.Equal(HttpStatusCode.Forbidden, keyAloneInOther.Status);
        Assert.Equal(HttpStatusCode.OK, approvals.Status);
        Assert.Empty(approvals.Json!.AsArray());
        Assert.Empty(passwords.Json!.AsArray());
    }

    [Fact]
    public async Task Audit_AfterMixedCredentialAttempts_EveryRecordNamesTheKeysOwner()
    {
        await using var bed = await StartAsync(redis.Server.ConnectionString, approvals: 1);
        var bob = await bed.SignInAsync("bob@demo.test");

        var mixed = await bed.SendAsync(HttpMethod.Post, "admin/api/tenants/demo/routes",
            [Key(Ops), Cookie(bob), ("X-Continuity-Csrf", "1"), ("Origin", bed.Origin)], """{"user":"alice@demo.test","to":"sovereign","reason":"as bob"}""");
        var honest = await bed.SendAsync(HttpMethod.Post, "admin/api/tenants/demo/routes", [Key(Ops)], """{"user":"alice@demo.test","to":"sovereign","reason":"as ops"}""");
        var audit = await bed.SendAsync(HttpMethod.Get, "admin/api/audit", [Key(Ops)]);

        Assert.Equal(HttpStatusCode.BadRequest, mixed.Status);
        Assert.Equal(HttpStatusCode.OK, honest.Status);
        var records = audit.Json!.AsArray();
        Assert.DoesNotContain(records, r => r!["actor"]!.GetValue<string>().StartsWith("bob", StringComparison.Ordinal));
        var record = Assert.Single(records, r => r!["action"]!.GetValue<string>().StartsWith("route.", StringComparison.Ordinal));
        Assert.Equal(("ops@demo.test", "route.changed", "as ops"), (record!["actor"]!.GetValue<string>(), record["action"]!.GetValue<string>(), record["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AdminApi_TwoKeysOrKeyPlusToken_400_OneKey_200()
    {
        await using var bed = await StartAsync(redis.Server.ConnectionString);
        const string routes = "admin/api/tenants/demo/routes";

        var twoHeaders = await bed.SendAsync(HttpMethod.Get, routes, [Key(Ops), ("X-Api-Key", DemoGateway.SecondKey)]);
        var twoApiKeyValues = await bed.SendAsync(HttpMethod.Get, routes, [("X-Api-Key", Ops), ("X-Api-Key", DemoGateway.SecondKey)]);
        var keyPlusToken = await bed.SendAsync(HttpMethod.Get, routes, [("X-Api-Key", Ops), ("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.x")]);
        var oneKey = await bed.SendAsync(HttpMethod.Get, routes, [("X-Api-Key", Ops)]);
        var nothing = await bed.SendAsync(HttpMethod.Get, routes, []);

        Assert.Equal(HttpStatusCode.BadRequest, twoHeaders.Status);
        Assert.Equal(HttpStatusCode.BadRequest, twoApiKeyValues.Status);
        Assert.Equal(HttpStatusCode.BadRequest, keyPlusToken.Status);
        Assert.Contains("an API key and an access token", keyPlusToken.Json!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, oneKey.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, nothing.Status);
        Assert.Equal("Unauthorized", nothing.Json!["title"]!.GetValue<string>());
    }
}
