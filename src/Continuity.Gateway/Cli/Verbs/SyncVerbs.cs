namespace Continuity.Gateway.Cli.Verbs;

/// <summary><c>sync [status]|now</c>: the mailbox copy primary → sovereign per user. <c>sync</c> alone is <c>sync status</c>.</summary>
internal static class SyncVerbs
{
    public static IEnumerable<Command> Create()
    {
        var tenant = CliOptions.Tenant(required: true);
        var user = CliOptions.Text("--user", "ADDRESS", "Only this user", required: false);
        var status = CliOptions.AdminCommand("status", "Lag, messages copied and errors per user (the default)", tenant, user)
            .Runs(c => StatusAsync(c, c.Required(tenant), c.Get(user)));

        var nowTenant = CliOptions.Tenant(required: true);
        var nowUser = CliOptions.Text("--user", "ADDRESS", "The user to sync", required: true);
        var now = CliOptions.AdminCommand("now", "Sync one user now; exit 1 when the run ends with an error", nowTenant, nowUser)
            .Runs(c => NowAsync(c, c.Required(nowTenant), c.Required(nowUser)));

        var sync = CliOptions.AdminCommand("sync", "Mailbox copies from the primary to the sovereign provider", tenant, user, status, now);
        return [sync.Runs(c => StatusAsync(c, c.Required(tenant), c.Get(user)))];
    }

    private static async Task<int> StatusAsync(CliContext c, string tenant, string? user)
    {
        var path = $"admin/api/tenants/{Uri.EscapeDataString(tenant)}/sync";
        using var client = c.Client();
        List<SyncStateView> states;
        if (user is null)
        {
            var response = await client.GetAsync(path, AdminJsonContext.Default.ListSyncStateView);
            if (!response.Ok)
            {
                return c.Fail(response);
            }

            if (c.Json)
            {
                c.WriteJson(response.Json);
                return ExitCode.Ok;
            }

            states = response.Value!;
        }
        else
        {
            var response = await client.GetAsync($"{path}/{Uri.EscapeDataString(user)}", AdminJsonContext.Default.SyncStateView);
            if (!response.Ok)
            {
                return c.Fail(response);
            }

            if (c.Json)
            {
                c.WriteJson(response.Json);
                return ExitCode.Ok;
            }

            states = [response.Value!];
        }

        if (states.Count == 0)
        {
            c.Out.WriteLine("no user has been synced yet");
        }

        foreach (var s in states)
        {
            c.Out.WriteLine(Line(s));
        }

        return ExitCode.Ok;
    }

    private static async Task<int> NowAsync(CliContext c, string tenant, string user)
    {
        using var client = c.Client();
        var response = await client.PostAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/sync/{Uri.EscapeDataString(user)}/run", AdminJsonContext.Default.SyncStateView);
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
            c.Out.WriteLine(Line(response.Value!));
        }

        return response.Value!.LastError is null ? ExitCode.Ok : ExitCode.Failed;
    }

    private static string Line(SyncStateView s)
    {
        var lag = s.LagSeconds is { } seconds ? $"lag {seconds:0} s" : "never synced";
        var stale = s.Stale ? " STALE" : "";
        var error = s.LastError is { } e ? $"  error: {e}" : "";
        return $"{s.User}  {lag}{stale}  last {s.LastDirection} run {CliContext.Time(s.LastSuccess)}  copied {s.MessagesCopied} (total {s.TotalCopied})  flags {s.FlagsUpdated}{error}";
    }
}
