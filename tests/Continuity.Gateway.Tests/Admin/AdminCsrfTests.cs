using System.Net;
using Continuity.Gateway.Tests.Support;
using static Continuity.Gateway.Tests.Admin.AdminAttackBed;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>
/// Issue 16, item 3: cross-site request forgery against the admin API with an admin's session cookie. SameSite=Lax lets
/// a page on any sibling host of the tenant post with the cookie; the review applied an approval from
/// <c>Origin: http://evil.demo.test</c> and linked an attacker's identity to alice with a <c>text/plain</c> import.
/// </summary>
[Trait("Category", "Server")]
public sealed class AdminCsrfTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private const string Csv = "email,provider,subject\nalice@demo.test,sovereign,attacker-subject\n";

    [Fact]
    public async Task Approve_AdminCookieWithoutTokenOrFromAnotherOrigin_403AndStillPending_SameOriginWithToken_Applied()
    {
        await using var bed = await StartAsync(redis.Server.ConnectionString);
        var pending = await bed.SendAsync(HttpMethod.Post, "admin/api/tenants/demo/routes", [Key(DemoGateway.SecondKey)], """{"user":"alice@demo.test","to":"sovereign","reason":"drill"}""");
        var id = pending.Json!["request"]!["id"]!.GetValue<string>();
        var ops = await bed.SignInAsync("ops@demo.test");
        var approve = $"admin/api/approvals/{id}/approve";

        var evil = await bed.SendAsync(HttpMethod.Post, approve, [Cookie(ops), ("X-Continuity-Csrf", "1"), ("Origin", "http://evil.demo.test")]);
        var noToken = await bed.SendAsync(HttpMethod.Post, approve, [Cookie(ops), ("Origin", bed.Origin)]);
        var sameSite = await bed.SendAsync(HttpMethod.Post, approve, [Cookie(ops), ("X-Continuity-Csrf", "1"), ("Sec-Fetch-Site", "same-site")]);
        var nowhere = await bed.SendAsync(HttpMethod.Post, approve, [Cookie(ops), ("X-Continuity-Csrf", "1")]);
        // A proxied app's own origin: "same origin" with itself, but the cookie is no admin session there.
        var appHost = await bed.SendAsync(HttpMethod.Post, approve, [("Host", "mail.demo.test"), Cookie(ops), ("X-Continuity-Csrf", "1"), ("Origin", "http://mail.demo.test")]);
        var still = await bed.SendAsync(HttpMethod.Get, $"admin/api/approvals/{id}", [Cookie(ops)]);
        var legitimate = await bed.SendAsync(HttpMethod.Post, approve, [Cookie(ops), ("X-Continuity-Csrf", "1"), ("Origin", bed.Origin), ("Sec-Fetch-Site", "same-origin")]);

        Assert.Equal(HttpStatusCode.Accepted, pending.Status);
        Assert.Equal(HttpStatusCode.Forbidden, evil.Status);
        Assert.Contains("evil.demo.test", evil.Json!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, noToken.Status);
        Assert.Contains("X-Continuity-Csrf", noToken.Json!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, sameSite.Status);
        Assert.Equal(HttpStatusCode.Forbidden, nowhere.Status);
        Assert.Equal(HttpStatusCode.Forbidden, appHost.Status);
        Assert.Contains("login host", appHost.Json!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "Pending"), (still.Status, still.Json!["request"]!["status"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, legitimate.Status);
        Assert.Equal("Applied", legitimate.Json!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RejectAndRetry_AdminCookieWithoutToken_403_ApiKeyNeedsNoToken()
    {
        await using var bed = await StartAsync(redis.Server.ConnectionString);
        var pending = await bed.SendAsync(HttpMethod.Post, "admin/api/tenants/demo/routes", [Key(DemoGateway.SecondKey)], """{"user":"bob@demo.test","to":"sovereign","reason":"drill"}""");
        var id = pending.Json!["request"]!["id"]!.GetValue<string>();
        var ops = await bed.SignInAsync("ops@demo.test");

        var reject = await bed.SendAsync(HttpMethod.Post, $"admin/api/approvals/{id}/reject", [Cookie(ops), ("Origin", bed.Origin)]);
        var retry = await bed.SendAsync(HttpMethod.Post, "admin/api/queue/0123456789abcdef/retry", [Cookie(ops), ("Origin", "http://mail.demo.test")]);
        var still = await bed.SendAsync(HttpMethod.Get, $"admin/api/approvals/{id}", [Key(DemoGateway.OpsKey)]);
        var rejectWithKey = await bed.SendAsync(HttpMethod.Post, $"admin/api/approvals/{id}/reject", [Key(DemoGateway.OpsKey)]);

        Assert.Equal(HttpStatusCode.Forbidden, reject.Status);
        Assert.Equal(HttpStatusCode.Forbidden, retry.Status);
        Assert.Equal("Pending", still.Json!["request"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, rejectWithKey.Status);
        Assert.Equal("Rejected", rejectWithKey.Json!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Import_TextPlain_415AndNothingLinked_TextCsv_Imported()
    {
        await using var bed = await StartAsync(redis.Server.ConnectionString, approvals: 1);
        var ops = await bed.SignInAsync("ops@demo.test");
        const string import = "admin/api/tenants/demo/accounts/import";

        var plainWithCookie = await bed.SendAsync(HttpMethod.Post, import, [Cookie(ops), ("X-Continuity-Csrf", "1"), ("Origin", bed.Origin)], Csv, "text/plain");
        var plainWithKey = await bed.SendAsync(HttpMethod.Post, import, [Key(DemoGateway.OpsKey)], Csv, "text/plain; charset=utf-8");
        var form = await bed.SendAsync(HttpMethod.Post, import, [Key(DemoGateway.OpsKey)], Csv, "application/x-www-form-urlencoded");
        var alice = await bed.SendAsync(HttpMethod.Get, "admin/api/tenants/demo/accounts/alice@demo.test", [Key(DemoGateway.OpsKey)]);
        var csv = await bed.SendAsync(HttpMethod.Post, import, [Cookie(ops), ("X-Continuity-Csrf", "1"), ("Origin", bed.Origin)], Csv, "text/csv; charset=utf-8");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plainWithCookie.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plainWithKey.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.Status);
        Assert.Equal(HttpStatusCode.NotFound, alice.Status);
        Assert.Equal(HttpStatusCode.OK, csv.Status);
        Assert.Equal(1, csv.Json!["linksCreated"]!.GetValue<int>());
    }
}
