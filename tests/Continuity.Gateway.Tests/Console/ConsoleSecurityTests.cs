using System.Net;
using Continuity.Gateway.Tests.Support;
using Microsoft.Playwright;
using static Continuity.Gateway.Tests.Admin.AdminAttackBed;

namespace Continuity.Gateway.Tests.Console;

/// <summary>
/// Who the console lets in and what it lets them change, checked the way an attacker would: a Viewer's page has no
/// action, and raw HTTP posts to the running gateway — a Viewer's own valid form, an Operator's session cookie without
/// the anti-forgery token or with another's — change nothing, while the same post with the Operator's own token does.
/// </summary>
[Collection(ConsoleBrowserTests.Name)]
[Trait("Category", "Server")]
public sealed class ConsoleSecurityTests(ConsoleBed bed)
{
    private const string Form = "application/x-www-form-urlencoded";

    [Fact]
    public async Task ViewerAndForgedPosts_NoActionsAndRefused_OperatorsOwnTokenAccepted()
    {
        var pending = await bed.Bed.SendAsync(HttpMethod.Post, "admin/api/tenants/demo/routes", [Key(DemoGateway.SecondKey)], """{"user":"bob@demo.test","to":"sovereign","reason":"drill"}""");
        Assert.Equal(HttpStatusCode.Accepted, pending.Status);
        var id = pending.Json!["request"]!["id"]!.GetValue<string>();

        var viewer = await bed.SignInAsync("auditor@demo.test");
        foreach (var path in new[] { "/admin", "/admin/users/bob@demo.test", "/admin/approvals", "/admin/audit", "/admin/mail", "/admin/drills" })
        {
            await viewer.GotoAsync(path);
            await Assertions.Expect(viewer.Locator("main form[method='post']")).ToHaveCountAsync(0);
            await Assertions.Expect(viewer.Locator("main button").Filter(new() { HasNotText = "Search" }).Filter(new() { HasNotText = "Filter" }).Filter(new() { HasNotText = "Verify" })).ToHaveCountAsync(0);
        }

        // The Viewer sees the pending request and its two-person rule, only not the buttons.
        await viewer.GotoAsync("/admin/approvals");
        await Assertions.Expect(viewer.Locator("main dt:text-is('Requested by') + dd")).ToHaveTextAsync("second@demo.test");
        var viewerToken = await TokenAsync(viewer);
        var viewerCookies = await CookiesAsync(viewer);
        var ops = await bed.SignInAsync("ops@demo.test", "/admin/approvals");
        var opsToken = await TokenAsync(ops);
        var opsCookies = await CookiesAsync(ops);
        var approve = $"admin/approvals?handler=Approve";
        var move = "admin/users/bob@demo.test?handler=Move";

        var viewerApproves = await bed.Bed.SendAsync(HttpMethod.Post, approve, [("Cookie", viewerCookies)], Body(("id", id), ("__RequestVerificationToken", viewerToken)), Form);
        var viewerMoves = await bed.Bed.SendAsync(HttpMethod.Post, move, [("Cookie", viewerCookies)], Body(("to", "sovereign"), ("reason", "forged"), ("__RequestVerificationToken", viewerToken)), Form);
        var viewerDrills = await bed.Bed.SendAsync(HttpMethod.Post, "admin/drills?handler=Run", [("Cookie", viewerCookies)], Body(("users", "bob@demo.test"), ("live", "true"), ("__RequestVerificationToken", viewerToken)), Form);
        var noToken = await bed.Bed.SendAsync(HttpMethod.Post, approve, [("Cookie", opsCookies), ("Origin", bed.Bed.Origin)], Body(("id", id)), Form);
        var othersToken = await bed.Bed.SendAsync(HttpMethod.Post, approve, [("Cookie", opsCookies)], Body(("id", id), ("__RequestVerificationToken", viewerToken)), Form);
        var junkToken = await bed.Bed.SendAsync(HttpMethod.Post, move, [("Cookie", opsCookies)], Body(("to", "sovereign"), ("reason", "forged"), ("__RequestVerificationToken", "CfDJ8forged")), Form);
        var anonymous = await bed.Bed.SendAsync(HttpMethod.Post, approve, [], Body(("id", id)), Form);
        var still = await bed.Bed.SendAsync(HttpMethod.Get, $"admin/api/approvals/{id}", [Key(DemoGateway.OpsKey)]);
        var bobRoute = await bed.Bed.SendAsync(HttpMethod.Get, "admin/api/tenants/demo/routes", [Key(DemoGateway.OpsKey)]);
        var legitimate = await bed.Bed.SendAsync(HttpMethod.Post, "admin/approvals?handler=Reject", [("Cookie", opsCookies)], Body(("id", id), ("reason", "not needed"), ("__RequestVerificationToken", opsToken)), Form);
        var after = await bed.Bed.SendAsync(HttpMethod.Get, $"admin/api/approvals/{id}", [Key(DemoGateway.OpsKey)]);

        Assert.Equal(HttpStatusCode.Forbidden, viewerApproves.Status);
        Assert.Contains("Viewers change nothing", viewerApproves.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, viewerMoves.Status);
        Assert.Equal(HttpStatusCode.Forbidden, viewerDrills.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.Status);
        Assert.Contains("Form refused", noToken.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, othersToken.Status);
        Assert.Equal(HttpStatusCode.BadRequest, junkToken.Status);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.Status);
        Assert.Equal("Pending", still.Json!["request"]!["status"]!.GetValue<string>());
        Assert.Null(bobRoute.Json!["users"]!["bob@demo.test"]);
        Assert.Equal(HttpStatusCode.Redirect, legitimate.Status);
        Assert.Equal("Rejected", after.Json!["request"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anonymous_RedirectedToLoginAndBack_NonAdmin_403Page_Headers_CspAndNoFraming()
    {
        var anonymous = await bed.Bed.SendAsync(HttpMethod.Get, "admin/users", []);
        var alice = await bed.SignInAsync("alice@demo.test");
        var again = await alice.GotoAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.Status);
        Assert.Equal(403, again!.Status);
        await Assertions.Expect(alice.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not an admin");
        await Assertions.Expect(alice.Locator("main")).ToContainTextAsync("alice@demo.test is signed in but is not an admin");
        var headers = await again.AllHeadersAsync();
        Assert.Contains("default-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"], StringComparison.Ordinal);
    }

    private static Task<string> TokenAsync(IPage page) =>
        page.Locator("form.signout input[name='__RequestVerificationToken']").GetAttributeAsync("value")!;

    private static async Task<string> CookiesAsync(IPage page) =>
        string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));

    private static string Body(params (string Name, string Value)[] fields) =>
        string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Name) + "=" + Uri.EscapeDataString(f.Value)));
}
