using System.CommandLine;
using System.Net.Http.Headers;

namespace Continuity.Gateway.Cli.Verbs;

/// <summary>
/// <c>accounts import|show|revoke</c>: import account links from a directory export, show an account and its links,
/// revoke a user's sessions, tokens and authorizations.
/// </summary>
internal static class AccountVerbs
{
    public static IEnumerable<Command> Create()
    {
        var importTenant = CliOptions.Tenant(required: true);
        var file = CliOptions.ExistingFile("FILE", "JSON [{email,name?,links:[{provider,issuer?,subject}]}] or CSV email,provider,subject[,name]");
        var import = CliOptions.AdminCommand("import", "Import account links from a directory export", importTenant, file)
            .Runs(c => ImportAsync(c, c.Required(importTenant), c.Required(file)));

        var showTenant = CliOptions.Tenant(required: true);
        var showAddress = new Argument<string>("ADDRESS") { Description = "The user's address" };
        var show = CliOptions.AdminCommand("show", "Show the gateway account id and its upstream links", showTenant, showAddress)
            .Runs(c => ShowAsync(c, c.Required(showTenant), c.Required(showAddress)));

        var revokeTenant = CliOptions.Tenant(required: true);
        var revokeAddress = new Argument<string>("ADDRESS") { Description = "The user's address" };
        var reason = CliOptions.Text("--reason", "TEXT", "Why (kept in the audit log)", required: true);
        var revoke = CliOptions.AdminCommand("revoke", "End the user's sessions, refresh tokens and authorizations on every node", revokeTenant, revokeAddress, reason)
            .Runs(c => RevokeAsync(c, c.Required(revokeTenant), c.Required(revokeAddress), c.Required(reason)));

        return [new Command("accounts", "Gateway accounts and their upstream links") { import, show, revoke }];
    }

    private static string AccountsPath(string tenant) => $"admin/api/tenants/{Uri.EscapeDataString(tenant)}/accounts";

    private static async Task<int> ImportAsync(CliContext c, string tenant, FileInfo file)
    {
        var bytes = await File.ReadAllBytesAsync(file.FullName);
        var json = file.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || bytes.AsSpan().TrimStart((byte)' ').TrimStart("\uFEFF"u8) is [(byte)'[', ..];
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(json ? "application/json" : "text/csv");
        using var client = c.Client(TimeSpan.FromSeconds(120));
        var response = await client.PostAsync($"{AccountsPath(tenant)}/import", content);
        if (!response.Ok)
        {
            c.Error.WriteLine($"error: {response.Error}");
            foreach (var error in response.Json?["errors"]?.AsArray() ?? [])
            {
                c.Error.WriteLine($"  line {error!["line"]}: {error["message"]}");
            }

            return ExitCode.Failed;
        }

        var r = response.Json!;
        if (r["status"]?.GetValue<string>() == "pending")
        {
            // Two-person rule: the checked file waits for a second admin.
            var id = r["request"]!["id"]!.GetValue<string>();
            if (c.Json)
            {
                c.WriteJson(r);
            }
            else
            {
                c.Out.WriteLine($"{r["rows"]} link(s) checked; waiting for approval — request {id} (expires {r["request"]!["expiresAt"]}); a second admin runs: continuity approve {id}");
            }

            return ExitCode.Ok;
        }

        var conflicts = r["conflicts"]!.AsArray();
        if (c.Json)
        {
            c.WriteJson(r);
        }
        else
        {
            c.Out.WriteLine($"{r["rows"]} link(s) read: {r["linksCreated"]} created, {r["linksExisting"]} already there, {conflicts.Count} conflict(s); {r["accountsCreated"]} new account(s) (audit #{r["auditSeq"]})");
            foreach (var conflict in conflicts)
            {
                c.Error.WriteLine($"  line {conflict!["line"]}: {conflict["email"]} {conflict["provider"]} {conflict["subject"]}: {conflict["reason"]}");
            }
        }

        // The rest was imported; a conflict still needs a person to look at it.
        return conflicts.Count == 0 ? ExitCode.Ok : ExitCode.Failed;
    }

    private static async Task<int> ShowAsync(CliContext c, string tenant, string address)
    {
        using var client = c.Client();
        var response = await client.GetAsync($"{AccountsPath(tenant)}/{Uri.EscapeDataString(address)}");
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        var a = response.Json!;
        if (c.Json)
        {
            c.WriteJson(a);
            return ExitCode.Ok;
        }

        c.Out.WriteLine($"{a["email"]}  account {a["id"]}{(a["name"] is { } name ? $"  ({name})" : "")}");
        foreach (var link in a["links"]!.AsArray())
        {
            c.Out.WriteLine($"  {link!["provider"]}  {link["issuer"]}  {link["subject"]}");
        }

        if (a["sessionsRevokedAt"] is { } revoked)
        {
            c.Out.WriteLine($"  sessions revoked at {revoked}");
        }

        return ExitCode.Ok;
    }

    private static async Task<int> RevokeAsync(CliContext c, string tenant, string address, string reason)
    {
        using var client = c.Client();
        var response = await client.PostAsync($"{AccountsPath(tenant)}/{Uri.EscapeDataString(address)}/revoke", new { reason });
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        var r = response.Json!;
        if (c.Json)
        {
            c.WriteJson(r);
        }
        else
        {
            c.Out.WriteLine($"{r["email"]}: sessions ended on every node, {r["tokensRevoked"]} token(s) and {r["authorizationsRevoked"]} authorization(s) revoked (audit #{r["auditSeq"]})");
        }

        return ExitCode.Ok;
    }
}
