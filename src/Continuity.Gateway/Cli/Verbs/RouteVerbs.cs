using System.CommandLine;
using System.Text.Json.Nodes;

namespace Continuity.Gateway.Cli.Verbs;

/// <summary><c>route show</c> and <c>route set</c>: this node's route snapshot, and a route change (or its approval request).</summary>
internal static class RouteVerbs
{
    public static IEnumerable<Command> Create()
    {
        var showTenant = CliOptions.Tenant(required: false, "Only this tenant (default: every tenant you may read)");
        var show = CliOptions.AdminCommand("show", "Show the routes: each tenant's default provider and user overrides", showTenant)
            .Runs(c => ShowAsync(c, c.Get(showTenant)));

        var tenant = CliOptions.Tenant(required: true);
        var user = CliOptions.Text("--user", "ADDRESS", "Move only this user (default: the whole tenant)", required: false);
        var to = CliOptions.Text("--to", "PROVIDER", "The provider to route to", required: true);
        var reason = CliOptions.Text("--reason", "TEXT", "Why (kept in the audit log)", required: true);
        var expected = CliOptions.Number<long>("--expected-version", "a route version number", 0, long.MaxValue,
            "Refuse the change unless the routes are still at this version");
        var set = CliOptions.AdminCommand("set", "Route a user (or the tenant) to a provider; with two-person approval it waits for a second admin", tenant, user, to, reason, expected)
            .Runs(c => SetAsync(c, new RouteChange(c.Required(tenant), c.Get(user), c.Required(to), c.Required(reason), c.Get(expected))));

        return [new Command("route", "Show or change where users are routed") { show, set }];
    }

    private sealed record RouteChange(string Tenant, string? User, string To, string Reason, long? ExpectedVersion);

    private static async Task<int> ShowAsync(CliContext c, string? tenant)
    {
        using var client = c.Client();
        List<string> ids;
        if (tenant is not null)
        {
            ids = [tenant];
        }
        else
        {
            var tenants = await client.GetAsync("admin/api/tenants");
            if (!tenants.Ok)
            {
                return c.Fail(tenants);
            }

            ids = [.. tenants.Json!.AsArray().Select(t => t!["id"]!.GetValue<string>())];
        }

        var all = new JsonArray();
        foreach (var id in ids)
        {
            var routes = await client.GetAsync($"admin/api/tenants/{Uri.EscapeDataString(id)}/routes");
            if (!routes.Ok)
            {
                return c.Fail(routes);
            }

            all.Add(routes.Json!.DeepClone());
            if (!c.Json)
            {
                var r = routes.Json!;
                c.Out.WriteLine($"tenant {id} (route version {r["version"]}): default → {r["default"]}");
                foreach (var (address, provider) in r["users"]!.AsObject())
                {
                    c.Out.WriteLine($"  {address} → {provider}");
                }
            }
        }

        if (c.Json)
        {
            c.WriteJson(all);
        }

        return ExitCode.Ok;
    }

    private static async Task<int> SetAsync(CliContext c, RouteChange change)
    {
        using var client = c.Client();
        var body = new { user = change.User, to = change.To, reason = change.Reason, expectedVersion = change.ExpectedVersion };
        var response = await client.PostAsync($"admin/api/tenants/{Uri.EscapeDataString(change.Tenant)}/routes", body);
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        if (c.Json)
        {
            c.WriteJson(response.Json);
            return ExitCode.Ok;
        }

        var json = response.Json!;
        var who = change.User ?? $"tenant {change.Tenant}";
        c.Out.WriteLine(json["status"]!.GetValue<string>() switch
        {
            "applied" => $"{who}: {json["before"]} → {json["after"]} (route version {json["version"]})",
            "unchanged" => $"{who}: already routed to {json["after"]}; nothing changed",
            _ => $"{who}: waiting for approval — request {json["request"]!["id"]} (expires {json["request"]!["expiresAt"]}); " +
                 $"a second admin runs: continuity approve {json["request"]!["id"]}",
        });
        return ExitCode.Ok;
    }
}
