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
            .Runs(c => SetAsync(c, c.Required(tenant), new RouteChangeBody(c.Get(user), c.Required(to), c.Required(reason), c.Get(expected))));

        return [new Command("route", "Show or change where users are routed") { show, set }];
    }

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
            var tenants = await client.GetAsync("admin/api/tenants", AdminJsonContext.Default.ListTenantView);
            if (!tenants.Ok)
            {
                return c.Fail(tenants);
            }

            ids = [.. tenants.Value!.Select(t => t.Id)];
        }

        var all = new JsonArray();
        foreach (var id in ids)
        {
            var routes = await client.GetAsync($"admin/api/tenants/{Uri.EscapeDataString(id)}/routes", AdminJsonContext.Default.RoutesView);
            if (!routes.Ok)
            {
                return c.Fail(routes);
            }

            all.Add(routes.Json!.DeepClone());
            if (!c.Json)
            {
                var r = routes.Value!;
                c.Out.WriteLine($"tenant {id} (route version {r.Version}): default → {r.Default}");
                foreach (var (address, provider) in r.Users)
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

    private static async Task<int> SetAsync(CliContext c, string tenant, RouteChangeBody change)
    {
        using var client = c.Client();
        var response = await client.PostAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/routes", change,
            AdminJsonContext.Default.RouteChangeBody, AdminJsonContext.Default.RouteChangeAnswer);
        return c.Answer(response, answer =>
        {
            var who = change.User ?? $"tenant {tenant}";
            c.Out.WriteLine(answer switch
            {
                { Status: "applied" } => $"{who}: {answer.Before} → {answer.After} (route version {answer.Version})",
                { Status: "unchanged" } => $"{who}: already routed to {answer.After}; nothing changed",
                { Request: { } request } => $"{who}: waiting for approval — request {request.Id} (expires {CliContext.Time(request.ExpiresAt)}); " +
                                            $"a second admin runs: continuity approve {request.Id}",
                _ => $"{who}: {answer.Status}",
            });
        });
    }
}
