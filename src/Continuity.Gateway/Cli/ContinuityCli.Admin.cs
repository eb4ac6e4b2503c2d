using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Continuity.Gateway.Cli;

/// <summary>The admin verbs: each one call of the admin API.</summary>
internal static partial class ContinuityCli
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static async Task<int> RouteShowAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        using var client = AdminClient.Create(cli);
        var tenants = await client.GetAsync("admin/api/tenants");
        if (!tenants.Ok)
        {
            return Fail(stderr, tenants);
        }

        var ids = cli["tenant"] is { } one ? [one] : tenants.Json!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();
        var all = new JsonArray();
        foreach (var id in ids)
        {
            var routes = await client.GetAsync($"admin/api/tenants/{Uri.EscapeDataString(id)}/routes");
            if (!routes.Ok)
            {
                return Fail(stderr, routes);
            }

            all.Add(routes.Json!.DeepClone());
            if (!cli.Has("json"))
            {
                var r = routes.Json!;
                stdout.WriteLine($"tenant {id} (route version {r["version"]}): default → {r["default"]}");
                foreach (var (user, provider) in r["users"]!.AsObject())
                {
                    stdout.WriteLine($"  {user} → {provider}");
                }
            }
        }

        if (cli.Has("json"))
        {
            stdout.WriteLine(all.ToJsonString(Indented));
        }

        return Ok;
    }

    private static async Task<int> RouteSetAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Require(cli, "tenant");
        var body = new
        {
            user = cli["user"],
            to = Require(cli, "to"),
            reason = Require(cli, "reason"),
            expectedVersion = cli["expected-version"] is { } v
                ? long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : throw new UsageException($"--expected-version must be a route version number, not '{v}'")
                : (long?)null,
        };
        using var client = AdminClient.Create(cli);
        var response = await client.PostAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/routes", body);
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        if (cli.Has("json"))
        {
            stdout.WriteLine(response.Json!.ToJsonString(Indented));
            return Ok;
        }

        var json = response.Json!;
        var who = body.user ?? $"tenant {tenant}";
        stdout.WriteLine(json["status"]!.GetValue<string>() switch
        {
            "applied" => $"{who}: {json["before"]} → {json["after"]} (route version {json["version"]})",
            "unchanged" => $"{who}: already routed to {json["after"]}; nothing changed",
            _ => $"{who}: waiting for approval — request {json["request"]!["id"]} (expires {json["request"]!["expiresAt"]}); " +
                 $"a second admin runs: continuity approve {json["request"]!["id"]}",
        });
        return Ok;
    }

    private static async Task<int> ApprovalsAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        using var client = AdminClient.Create(cli);
        var response = await client.GetAsync("admin/api/approvals");
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        if (cli.Has("json"))
        {
            stdout.WriteLine(response.Json!.ToJsonString(Indented));
            return Ok;
        }

        var list = response.Json!.AsArray();
        if (list.Count == 0)
        {
            stdout.WriteLine("no pending requests");
        }

        foreach (var r in list)
        {
            stdout.WriteLine($"{r!["id"]}  {r["tenant"]}  {r["user"]?.GetValue<string>() ?? "(tenant)"}  {(r["kind"]?.GetValue<string>() is { } kind ? kind : $"{r["from"]} → {r["to"]}")}  by {r["requestedBy"]}  expires {r["expiresAt"]}  — {r["reason"]}");
        }

        return Ok;
    }

    private static async Task<int> DecideAsync(CliArguments cli, string decision, TextWriter stdout, TextWriter stderr)
    {
        var id = cli.Word(1);
        if (id.Length == 0)
        {
            throw new UsageException($"usage: continuity {decision} ID");
        }

        using var client = AdminClient.Create(cli);
        var response = await client.PostAsync($"admin/api/approvals/{Uri.EscapeDataString(id)}/{decision}", new { reason = cli["reason"] });
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        var json = response.Json!;
        stdout.WriteLine(cli.Has("json") ? json.ToJsonString(Indented) : $"request {id}: {json["status"]!.GetValue<string>().ToLowerInvariant()}");
        return Ok;
    }

    private static async Task<int> UsersListAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Require(cli, "tenant");
        using var client = AdminClient.Create(cli);
        var response = await client.GetAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/users");
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        foreach (var u in response.Json!.AsArray())
        {
            stdout.WriteLine(cli.Has("json") ? u!.ToJsonString() : $"{u!["address"]}  → {u["provider"]}");
        }

        return Ok;
    }

    private static async Task<int> UsersImportAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Require(cli, "tenant");
        var file = cli.Word(2);
        if (file.Length == 0 || !File.Exists(file))
        {
            throw new UsageException("usage: continuity users import --tenant T FILE (the file must exist)");
        }

        var addresses = (await File.ReadAllLinesAsync(file))
            .Select(l => l.Split(',', ';')[0].Trim().Trim('"'))
            .Where(a => a.Contains('@', StringComparison.Ordinal))
            .ToList();
        using var client = AdminClient.Create(cli);
        var response = await client.PostAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/users", new { addresses });
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        stdout.WriteLine(cli.Has("json") ? response.Json!.ToJsonString(Indented) : $"imported {addresses.Count} address(es), {response.Json!["added"]} new");
        return Ok;
    }

    private static async Task<int> AuditShowAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        using var client = AdminClient.Create(cli);
        var response = await client.GetAsync($"admin/api/audit?count={cli["count"] ?? "50"}");
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        foreach (var r in response.Json!.AsArray())
        {
            stdout.WriteLine(cli.Has("json") ? r!.ToJsonString()
                : $"#{r!["seq"]} {r["at"]} {r["actor"]} {r["action"]} {r["tenant"]} {r["user"]?.GetValue<string>() ?? "(tenant)"} {r["before"]}→{r["after"]} — {r["reason"]}");
        }

        return Ok;
    }

    private static async Task<int> AuditVerifyAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        using var client = AdminClient.Create(cli);
        var response = await client.GetAsync("admin/api/audit/verify");
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        var json = response.Json!;
        var intact = json["intact"]!.GetValue<bool>();
        if (cli.Has("json"))
        {
            stdout.WriteLine(json.ToJsonString(Indented));
        }
        else if (intact)
        {
            stdout.WriteLine($"audit chain intact: {json["records"]} record(s)");
        }
        else
        {
            stdout.WriteLine($"AUDIT CHAIN BROKEN ({json["records"]} record(s) read):");
            foreach (var problem in json["problems"]!.AsArray())
            {
                stdout.WriteLine($"  {problem}");
            }
        }

        return intact ? Ok : Failed;
    }

    private static int Fail(TextWriter stderr, AdminResponse response)
    {
        stderr.WriteLine($"error: {response.Error}");
        return Failed;
    }
}
