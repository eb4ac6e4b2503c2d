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
        var response = await client.GetAsync("admin/api/approvals", AdminJsonContext.Default.ListApprovalRequest);
        return c.Answer(response, value =>
        {
            if (value.Count == 0)
            {
                c.Out.WriteLine("no pending requests");
            }

            foreach (var r in value)
            {
                c.Out.WriteLine($"{r.Id}  {r.Tenant}  {r.User ?? "(tenant)"}  {r.Kind ?? $"{r.From} → {r.To}"}  by {r.RequestedBy}  expires {CliContext.Time(r.ExpiresAt)}  — {r.Reason}");
            }
        });
    }

    private static async Task<int> DecideAsync(CliContext c, string decision, string id, string? reason)
    {
        using var client = c.Client();
        var response = await client.PostAsync($"admin/api/approvals/{Uri.EscapeDataString(id)}/{decision}", new RejectBody(reason),
            AdminJsonContext.Default.RejectBody, AdminJsonContext.Default.ApprovalRequest);
        return c.Answer(response, value => c.Out.WriteLine($"request {id}: {value.Status.ToString().ToLowerInvariant()}"));
    }
}
