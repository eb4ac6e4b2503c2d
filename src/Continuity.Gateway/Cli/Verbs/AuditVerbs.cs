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
        var response = await client.GetAsync($"admin/api/audit?count={count}{TenantQuery(tenant, '&')}", AdminJsonContext.Default.ListAuditRecord);
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        var json = response.Json!.AsArray();
        for (var i = 0; i < json.Count; i++)
        {
            var r = response.Value![i];
            c.Out.WriteLine(c.Json ? json[i]!.ToJsonString()
                : $"#{r.Seq} {CliContext.Time(r.At)} {r.Actor} {r.Action} {r.Tenant} {r.User ?? "(tenant)"} {r.Before}→{r.After} — {r.Reason}");
        }

        return ExitCode.Ok;
    }

    private static async Task<int> VerifyAsync(CliContext c, string? tenant)
    {
        using var client = c.Client();
        var response = await client.GetAsync($"admin/api/audit/verify{TenantQuery(tenant, '?')}", AdminJsonContext.Default.AuditVerification);
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        var verification = response.Value!;
        if (c.Json)
        {
            c.WriteJson(response.Json);
        }
        else if (verification.Intact)
        {
            c.Out.WriteLine($"audit chain of {verification.Tenant} intact: {verification.Records} record(s)");
        }
        else
        {
            c.Out.WriteLine($"AUDIT CHAIN BROKEN ({verification.Records} record(s) read):");
            foreach (var problem in verification.Problems)
            {
                c.Out.WriteLine($"  {problem}");
            }
        }

        return verification.Intact ? ExitCode.Ok : ExitCode.Failed;
    }

    private static async Task<int> HeadAsync(CliContext c, string tenant)
    {
        using var client = c.Client();
        var response = await client.GetAsync($"admin/api/audit/head?tenant={Uri.EscapeDataString(tenant)}", AdminJsonContext.Default.AuditChainHead);
        return c.Answer(response, value => c.Out.WriteLine($"{value.Tenant} {value.Records} {value.Head}"));
    }
}
