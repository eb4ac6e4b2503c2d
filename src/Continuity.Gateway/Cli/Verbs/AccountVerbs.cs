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
        var bytes = await File.ReadAllBytesAsync(file.FullName, c.Cancellation);
        var json = file.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || bytes.AsSpan().TrimStart((byte)' ').TrimStart("\uFEFF"u8) is [(byte)'[', ..];
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(json ? "application/json" : "text/csv");
        using var client = c.Client(TimeSpan.FromSeconds(120));
        var response = await client.PostAsync($"{AccountsPath(tenant)}/import", content, AdminJsonContext.Default.AccountImportAnswer);
        if (!response.Ok)
        {
            c.Error.WriteLine($"error: {response.Error}");
            foreach (var error in response.Problem?.Errors ?? [])
            {
                c.Error.WriteLine($"  line {error.Line}: {error.Message}");
            }

            return ExitCode.Failed;
        }

        var r = response.Value!;
        if (r is { Status: "pending", Request: { } request })
        {
            // Two-person rule: the checked file waits for a second admin.
            if (c.Json)
            {
                c.WriteJson(response.Json);
            }
            else
            {
                c.Out.WriteLine($"{r.Rows} link(s) checked; waiting for approval — request {request.Id} (expires {CliContext.Time(request.ExpiresAt)}); a second admin runs: continuity approve {request.Id}");
            }

            return ExitCode.Ok;
        }

        var conflicts = r.Conflicts ?? [];
        if (c.Json)
        {
            c.WriteJson(response.Json);
        }
        else
        {
            c.Out.WriteLine($"{r.Rows} link(s) read: {r.LinksCreated} created, {r.LinksExisting} already there, {conflicts.Count} conflict(s); {r.AccountsCreated} new account(s) (audit #{r.AuditSeq})");
            foreach (var conflict in conflicts)
            {
                c.Error.WriteLine($"  line {conflict.Line}: {conflict.Email} {conflict.Provider} {conflict.Subject}: {conflict.Reason}");
            }
        }

        // The rest was imported; a conflict still needs a person to look at it.
        return conflicts.Count == 0 ? ExitCode.Ok : ExitCode.Failed;
    }

    private static async Task<int> ShowAsync(CliContext c, string tenant, string address)
    {
        using var client = c.Client();
        var response = await client.GetAsync($"{AccountsPath(tenant)}/{Uri.EscapeDataString(address)}", AdminJsonContext.Default.AccountView);
        return c.Answer(response, a =>
        {
            c.Out.WriteLine($"{a.Email}  account {a.Id}{(a.Name is { } name ? $"  ({name})" : "")}");
            foreach (var link in a.Links)
            {
                c.Out.WriteLine($"  {link.Provider}  {link.Issuer}  {link.Subject}");
            }

            if (a.SessionsRevokedAt is { } revoked)
            {
                c.Out.WriteLine($"  sessions revoked at {CliContext.Time(revoked)}");
            }
        });
    }

    private static async Task<int> RevokeAsync(CliContext c, string tenant, string address, string reason)
    {
        using var client = c.Client();
        var response = await client.PostAsync($"{AccountsPath(tenant)}/{Uri.EscapeDataString(address)}/revoke", new RevokeBody(reason),
            AdminJsonContext.Default.RevokeBody, AdminJsonContext.Default.AccountRevokeAnswer);
        return c.Answer(response, r =>
        {
            c.Out.WriteLine($"{r.Email}: sessions ended on every node, {r.TokensRevoked} token(s) and {r.AuthorizationsRevoked} authorization(s) revoked (audit #{r.AuditSeq})");
        });
    }
}
