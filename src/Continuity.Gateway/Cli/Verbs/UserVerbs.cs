using System.CommandLine;

namespace Continuity.Gateway.Cli.Verbs;

/// <summary><c>users list</c> and <c>users import</c>: the tenant's user directory.</summary>
internal static class UserVerbs
{
    public static IEnumerable<Command> Create()
    {
        var listTenant = CliOptions.Tenant(required: true);
        var list = CliOptions.AdminCommand("list", "List the directory's users and where each is routed", listTenant)
            .Runs(c => ListAsync(c, c.Required(listTenant)));

        var importTenant = CliOptions.Tenant(required: true);
        var file = CliOptions.ExistingFile("FILE", "One address per line, or CSV with the address first");
        var import = CliOptions.AdminCommand("import", "Add addresses to the directory", importTenant, file)
            .Runs(c => ImportAsync(c, c.Required(importTenant), c.Required(file)));

        return [new Command("users", "The tenant's user directory") { list, import }];
    }

    private static async Task<int> ListAsync(CliContext c, string tenant)
    {
        using var client = c.Client();
        var response = await client.GetAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/users");
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        foreach (var u in response.Json!.AsArray())
        {
            c.Out.WriteLine(c.Json ? u!.ToJsonString() : $"{u!["address"]}  → {u["provider"]}");
        }

        return ExitCode.Ok;
    }

    private static async Task<int> ImportAsync(CliContext c, string tenant, FileInfo file)
    {
        var addresses = (await File.ReadAllLinesAsync(file.FullName))
            .Select(l => l.Split(',', ';')[0].Trim().Trim('"'))
            .Where(a => a.Contains('@', StringComparison.Ordinal))
            .ToList();
        using var client = c.Client();
        var response = await client.PostAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/users", new { addresses });
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        if (c.Json)
        {
            c.WriteJson(response.Json);
        }
        else
        {
            c.Out.WriteLine($"imported {addresses.Count} address(es), {response.Json!["added"]} new");
        }

        return ExitCode.Ok;
    }
}
