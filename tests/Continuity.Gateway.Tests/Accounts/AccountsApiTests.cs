using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Support;

namespace Continuity.Gateway.Tests.Accounts;

/// <summary>Account link import, account view and revocation over real HTTP against a real redis-server.</summary>
[Trait("Category", "Server")]
public sealed class AccountsApiTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    private const string Primary = DemoGateway.PrimaryAuthority;

    private const string TwoAccountsJson = """
        [
          { "email": "Alice@demo.test", "name": "Alice Arbiter",
            "links": [ { "provider": "primary", "subject": "p-alice" },
                       { "provider": "sovereign", "issuer": "https://127.0.0.1:9/sovereign", "subject": "s-alice" } ] },
          { "email": "bob@demo.test", "links": [ { "provider": "primary", "issuer": "https://127.0.0.1:9/primary/", "subject": "p-bob" } ] }
        ]
        """;

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body, string contentType) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Import_JsonTwoAccounts_AccountsAndLinksCreatedShownAndAuditedOnce()
    {
        await using var gateway = await DemoGateway.StartWithUpstreamsAsync(redis.Server.ConnectionString);
        using var client = gateway.Client(DemoGateway.OpsKey);

        var response = await PostAsync(client, "admin/api/tenants/demo/accounts/import", TwoAccountsJson, "application/json");
        var alice = await JsonAsync(await client.GetAsync("admin/api/tenants/demo/accounts/alice@demo.test"));
        var bob = await JsonAsync(await client.GetAsync("admin/api/tenants/demo/accounts/BOB@demo.test"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal((3, 2, 3, 0, 0), (body["rows"]!.GetValue<int>(), body["accountsCreated"]!.GetValue<int>(), body["linksCreated"]!.GetValue<int>(),
            body["linksExisting"]!.GetValue<int>(), body["conflicts"]!.AsArray().Count));
        Assert.Equal(("alice@demo.test", "Alice Arbiter"), (alice["email"]!.GetValue<string>(), alice["name"]!.GetValue<string>()));
        Assert.Matches("^[0-9a-f]{32}$", alice["id"]!.GetValue<string>());
        Assert.NotEqual(alice["id"]!.GetValue<string>(), bob["id"]!.GetValue<string>());
        Assert.Equal(
            [("primary", Primary, "p-alice"), ("sovereign", DemoGateway.SovereignAuthority, "s-alice")],
            alice["links"]!.AsArray().Select(l => (l!["provider"]!.GetValue<string>(), l["issuer"]!.GetValue<string>(), l["subject"]!.GetValue<string>())));
        var audit = Assert.Single((await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray());
        Assert.Equal(("ops@demo.test", "identity.links.imported"), (audit!["actor"]!.GetValue<string>(), audit["action"]!.GetValue<string>()));
        Assert.Contains("accounts created 2; links created 3, existing 0, conflicts 0", audit["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SameFileTwice_SameAccountIdsAndLinksReportedExisting()
    {
        await using var gateway = await DemoGateway.StartWithUpstreamsAsync(redis.Server.ConnectionString);
        using var client = gateway.Client(DemoGateway.OpsKey);
        await PostAsync(client, "admin/api/tenants/demo/accounts/import", TwoAccountsJson, "application/json");
        var before = (await JsonAsync(await client.GetAsync("admin/api/tenants/demo/accounts/alice@demo.test")))["id"]!.GetValue<string>();

        var again = await JsonAsync(await PostAsync(client, "admin/api/tenants/demo/accounts/import", TwoAccountsJson, "application/json"));
        var after = (await JsonAsync(await client.GetAsync("admin/api/tenants/demo/accounts/alice@demo.test")))["id"]!.GetValue<string>();

        Assert.Equal((0, 0, 3), (again["accountsCreated"]!.GetValue<int>(), again["linksCreated"]!.GetValue<int>(), again["linksExisting"]!.GetValue<int>()));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Import_CsvWithBadRows_400ListsEveryBadLineAndNothingImported()
    {
        await using var gateway = await DemoGateway.StartWithUpstreamsAsync(redis.Server.ConnectionString);
        using var client = gateway.Client(DemoGateway.OpsKey);
        var csv = string.Join("\n",
            "email,provider,subject,name",              // 1 header
            "alice@demo.test,primary,p-alice,\"Arbiter, Alice\"", // 2 good
            "eve@evil.test,primary,p-eve",              // 3 not the tenant's domain
            "bob@demo.test,exchange,p-bob",             // 4 unknown provider
            "carol@demo.test,primary,",                 // 5 no subject
            "dan@demo.test,primary,\"p-dan",            // 6 unterminated quote
            "erin@demo.test,primary,p-\0erin",          // 7 NUL
            "frank@demo.test,primary,p-alice",          // 8 alice's subject again
            "gina@demo.test,primary,p-gina,too,many",   // 9 five fields
            "hal@demo.test,primary,p-hal\r");           // 10 good (CRLF)

        var response = await PostAsync(client, "admin/api/tenants/demo/accounts/import", csv, "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await JsonAsync(response))["errors"]!.AsArray();
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], errors.Select(e => e!["line"]!.GetValue<int>()));
        Assert.Contains("line 2", errors[5]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("admin/api/tenants/demo/accounts/alice@demo.test")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("admin/api/tenants/demo/accounts/hal@demo.test")).StatusCode);
        Assert.Empty((await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray());
    }

    [Fact]
    public async Task Import_JsonBadEntriesAndBrokenJson_400WithLinesNothingImported()
    {
        await using var gateway = await DemoGateway.StartWithUpstreamsAsync(redis.Server.ConnectionString);
        using var client = gateway.Client(DemoGateway.OpsKey);
        var entries = """
            [
              { "email": "alice@demo.test", "links": [ { "provider": "primary", "subject": "p-alice" } ] },
              { "email": "bob@demo.test", "links": [] },
              { "email": "carol@demo.test",
                "links": [ { "provider": "primary", "issuer": "https://elsewhere.example/", "subject": "p-carol" } ] }
            ]
            """;

        var bad = await PostAsync(client, "admin/api/tenants/demo/accounts/import", entries, "application/json");
        var broken = await PostAsync(client, "admin/api/tenants/demo/accounts/import", "[\n{ \"email\": \"alice@demo.test\",\n", "application/json");
        var notArray = await PostAsync(client, "admin/api/tenants/demo/accounts/import", """{ "email": "alice@demo.test" }""", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await JsonAsync(bad))["errors"]!.AsArray();
        Assert.Equal([3, 4], errors.Select(e => e!["line"]!.GetValue<int>()));
        Assert.Contains("not provider 'primary''s authority", errors[1]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("not valid JSON", (await JsonAsync(broken))["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notArray.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("admin/api/tenants/demo/accounts/alice@demo.test")).StatusCode);
    }

    [Fact]
    public async Task Import_SubjectLinkedToAnotherAccount_ConflictReportedPerRowOthersImported()
    {
        await using var gateway = await DemoGateway.StartWithUpstreamsAsync(redis.Server.ConnectionString);
        using var client = gateway.Client(DemoGateway.OpsKey);
        await PostAsync(client, "admin/api/tenants/demo/accounts/import", "alice@demo.test,primary,p-alice\n", "text/csv");

        var response = await PostAsync(client, "admin/api/tenants/demo/accounts/import",
            "bob@demo.test,primary,p-bob\nmallory@demo.test,primary,p-alice\nalice@demo.test,primary,p-alice-2\n", "text/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal(1, body["linksCreated"]!.GetValue<int>());
        var conflicts = body["conflicts"]!.AsArray();
        Assert.Equal([2, 3], conflicts.Select(c => c!["line"]!.GetValue<int>()));
        Assert.Contains("already linked to another account", conflicts[0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("already has another subject of this upstream (p-alice)", conflicts[1]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("admin/api/tenants/demo/accounts/bob@demo.test")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("admin/api/tenants/demo/accounts/mallory@demo.test")).StatusCode);
        var alice = await JsonAsync(await client.GetAsync("admin/api/tenants/demo/accounts/alice@demo.test"));
        Assert.Equal("p-alice", Assert.Single(alice["links"]!.AsArray())!["subject"]!.GetValue<string>());
        var audit = (await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray();
        Assert.Equal(2, audit.Count);
        Assert.Contains("conflicts 2; conflict lines 2,3", audit[^1]!["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accounts_ViewerOtherTenantWrongTypeOrNoKey_RefusedAndNothingImported()
    {
        await using var gateway = await DemoGateway.StartWithUpstreamsAsync(redis.Server.ConnectionString);
        using var viewer = gateway.Client(DemoGateway.ViewerKey);
        using var other = gateway.Client(DemoGateway.OtherTenantKey);
        using var anonymous = gateway.Client(bearer: null);
        using var ops = gateway.Client(DemoGateway.OpsKey);
        const string Csv = "alice@demo.test,primary,p-alice\n";

        var byViewer = await PostAsync(viewer, "admin/api/tenants/demo/accounts/import", Csv, "text/csv");
        var byOther = await PostAsync(other, "admin/api/tenants/demo/accounts/import", Csv, "text/csv");
        var byNobody = await PostAsync(anonymous, "admin/api/tenants/demo/accounts/import", Csv, "text/csv");
        var asXml = await PostAsync(ops, "admin/api/tenants/demo/accounts/import", "<accounts/>", "application/xml");
        var noTenant = await PostAsync(ops, "admin/api/tenants/nope/accounts/import", Csv, "text/csv");
        var viewerRevoke = await viewer.PostAsJsonAsync("admin/api/tenants/demo/accounts/alice@demo.test/revoke", new { reason = "x" });

        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byNobody.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, asXml.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noTenant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerRevoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync("admin/api/tenants/demo/accounts/alice@demo.test")).StatusCode);
    }

    [Fact]
    public async Task Revoke_ImportedAccount_SessionsMarkedCountsReturnedAndAudited()
    {
        await using var gateway = await DemoGateway.StartWithUpstreamsAsync(redis.Server.ConnectionString);
        using var client = gateway.Client(DemoGateway.OpsKey);
        await PostAsync(client, "admin/api/tenants/demo/accounts/import", "alice@demo.test,primary,p-alice\n", "text/csv");

        var noReason = await client.PostAsJsonAsync("admin/api/tenants/demo/accounts/alice@demo.test/revoke", new { });
        var unknown = await client.PostAsJsonAsync("admin/api/tenants/demo/accounts/zed@demo.test/revoke", new { reason = "left" });
        var revoked = await client.PostAsJsonAsync("admin/api/tenants/demo/accounts/alice@demo.test/revoke", new { reason = "device stolen" });
        var shown = await JsonAsync(await client.GetAsync("admin/api/tenants/demo/accounts/alice@demo.test"));

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var body = await JsonAsync(revoked);
        Assert.Equal((0L, 0L), (body["tokensRevoked"]!.GetValue<long>(), body["authorizationsRevoked"]!.GetValue<long>()));
        Assert.NotNull(shown["sessionsRevokedAt"]);
        var audit = (await JsonAsync(await client.GetAsync("admin/api/audit"))).AsArray()[^1]!;
        Assert.Equal(("identity.account.revoked", "alice@demo.test", "device stolen"),
            (audit["action"]!.GetValue<string>(), audit["user"]!.GetValue<string>(), audit["reason"]!.GetValue<string>()));
    }
}
