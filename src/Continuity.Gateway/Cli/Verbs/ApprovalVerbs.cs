using System.CommandLine;

namespace Continuity.Gateway.Cli.Verbs;

/// <summary>The two-person rule's verbs: <c>approvals</c> (alias <c>pending</c>), <c>approve ID</c>, <c>reject ID</c>.</summary>
internal static class ApprovalVerbs
{
    public static IEnumerable<Command> Create()
    {
        var approvals = CliOptions.AdminCommand("approvals", "List the requests waiting for a second admin").Runs(ListAsync);
        approvals.Aliases.Add("pending");

        var approveId = new Argument<string>("ID") { Description = "The request id (from 'continuity approvals')" };
        var approve = CliOptions.AdminCommand("approve", "Approve a pending request (not your own)", approveId)
            .Runs(c => DecideAsync(c, "approve", c.Required(approveId), reason: null));

        var rejectId = new Argument<string>("ID") { Description = "The request id (from 'continuity approvals')" };
        var reason = CliOptions.Text("--reason", "TEXT", "Why (kept in the audit log)", required: false);
        var reject = CliOptions.AdminCommand("reject", "Reject a pending request", rejectId, reason)
            .Runs(c => DecideAsync(c, "reject", c.Required(rejectId), c.Get(reason)));

        return [approvals, approve, reject];
    }

    private static async Task<int> ListAsync(CliContext c)
    {
        using var client = c.Client();
        var response = await client.GetAsync("admin/api/approvals");
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        if (c.Json)
        {
            c.WriteJson(response.Json);
            return ExitCode.Ok;
        }

        var list = response.Json!.AsArray();
        if (list.Count == 0)
        {
            c.Out.WriteLine("no pending requests");
        }

        foreach (var r in list)
        {
            c.Out.WriteLine($"{r!["id"]}  {r["tenant"]}  {r["user"]?.GetValue<string>() ?? "(tenant)"}  {(r["kind"]?.GetValue<string>() is { } kind ? kind : $"{r["from"]} → {r["to"]}")}  by {r["requestedBy"]}  expires {r["expiresAt"]}  — {r["reason"]}");
        }

        return ExitCode.Ok;
    }

    private static async Task<int> DecideAsync(CliContext c, string decision, string id, string? reason)
    {
        using var client = c.Client();
        var response = await client.PostAsync($"admin/api/approvals/{Uri.EscapeDataString(id)}/{decision}", new { reason });
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
            c.Out.WriteLine($"request {id}: {json["status"]!.GetValue<string>().ToLowerInvariant()}");
        }

        return ExitCode.Ok;
    }
}
