using System.CommandLine;

namespace Continuity.Gateway.Cli.Verbs;

/// <summary><c>audit show|verify|head</c>: a tenant's keyed audit chain (default the caller's tenant).</summary>
internal static class AuditVerbs
{
    public static IEnumerable<Command> Create()
    {
        var showTenant = CliOptions.Tenant(required: false, "The tenant whose chain to read (default: your own)");
        var count = CliOptions.Number("--count", "a number from 1 to 1000", 1, 1000, "How many of the latest records (default 50)");
        var show = CliOptions.AdminCommand("show", "Print the latest audit records", showTenant, count)
            .Runs(c => ShowAsync(c, c.Get(showTenant), c.Get(count) ?? 50));

        var verifyTenant = CliOptions.Tenant(required: false, "The tenant whose chain to verify (default: your own)");
        var verify = CliOptions.AdminCommand("verify", "Verify the tenant's keyed hash chain; exit 1 when it is broken", verifyTenant)
            .Runs(c => VerifyAsync(c, c.Get(verifyTenant)));

        var headTenant = CliOptions.Tenant(required: true);
        var head = CliOptions.AdminCommand("head", "Print the chain's length and head hash (keep it outside the store)", headTenant)
            .Runs(c => HeadAsync(c, c.Required(headTenant)));

        return [new Command("audit", "The audit log: one keyed hash chain per tenant") { show, verify, head }];
    }

    private static string TenantQuery(string? tenant, char separator) =>
        tenant is null ? "" : $"{separator}tenant={Uri.EscapeDataString(tenant)}";

    private static async Task<int> ShowAsync(CliContext c, string? tenant, int count)
    {
        using var client = c.Client();
        var response = await client.GetAsync($"admin/api/audit?count={count}{TenantQuery(tenant, '&')}");
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        foreach (var r in response.Json!.AsArray())
        {
            c.Out.WriteLine(c.Json ? r!.ToJsonString()
                : $"#{r!["seq"]} {r["at"]} {r["actor"]} {r["action"]} {r["tenant"]} {r["user"]?.GetValue<string>() ?? "(tenant)"} {r["before"]}→{r["after"]} — {r["reason"]}");
        }

        return ExitCode.Ok;
    }

    private static async Task<int> VerifyAsync(CliContext c, string? tenant)
    {
        using var client = c.Client();
        var response = await client.GetAsync($"admin/api/audit/verify{TenantQuery(tenant, '?')}");
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        var json = response.Json!;
        var intact = json["intact"]!.GetValue<bool>();
        if (c.Json)
        {
            c.WriteJson(json);
        }
        else if (intact)
        {
            c.Out.WriteLine($"audit chain of {json["tenant"]} intact: {json["records"]} record(s)");
        }
        else
        {
            c.Out.WriteLine($"AUDIT CHAIN BROKEN ({json["records"]} record(s) read):");
            foreach (var problem in json["problems"]!.AsArray())
            {
                c.Out.WriteLine($"  {problem}");
            }
        }

        return intact ? ExitCode.Ok : ExitCode.Failed;
    }

    private static async Task<int> HeadAsync(CliContext c, string tenant)
    {
        using var client = c.Client();
        var response = await client.GetAsync($"admin/api/audit/head?tenant={Uri.EscapeDataString(tenant)}");
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        var json = response.Json!;
        if (c.Json)
        {
            c.WriteJson(json);
        }
        else
        {
            c.Out.WriteLine($"{json["tenant"]} {json["records"]} {json["head"]}");
        }

        return ExitCode.Ok;
    }
}
