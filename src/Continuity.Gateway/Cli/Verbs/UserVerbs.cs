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
        var response = await client.GetAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/users", AdminJsonContext.Default.ListDirectoryUser);
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        var json = response.Json!.AsArray();
        for (var i = 0; i < json.Count; i++)
        {
            c.Out.WriteLine(c.Json ? json[i]!.ToJsonString() : $"{response.Value![i].Address}  → {response.Value[i].Provider}");
        }

        return ExitCode.Ok;
    }

    private static async Task<int> ImportAsync(CliContext c, string tenant, FileInfo file)
    {
        var addresses = (await File.ReadAllLinesAsync(file.FullName, c.Cancellation))
            .Select(l => l.Split(',', ';')[0].Trim().Trim('"'))
            .Where(a => a.Contains('@', StringComparison.Ordinal))
            .ToList();
        using var client = c.Client();
        var response = await client.PostAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/users", new UserImportBody(addresses),
            AdminJsonContext.Default.UserImportBody, AdminJsonContext.Default.UserImportAnswer);
        return c.Answer(response, value => c.Out.WriteLine($"imported {addresses.Count} address(es), {value.Added} new"));
    }
}
