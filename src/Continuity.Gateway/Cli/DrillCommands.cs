using System.Globalization;
using System.Text;
using System.Text.Json;
using Continuity.Gateway.Drills;
using Continuity.Gateway.Readiness;

namespace Continuity.Gateway.Cli;

/// <summary>
/// <c>continuity readiness --tenant T [--user U] [--json]</c> and <c>continuity drill --tenant T --user U [--user …]
/// [--live] [--json]</c>, on values already parsed (whatever parses the command line calls these). Exit 0 when
/// every user is ready / the drill passed, 1 when not (or the call failed), as a monitor or a CI job wants it.
/// </summary>
internal static class DrillCommands
{
    /// <summary>How long <c>drill</c> waits for a running drill's report: a live drill of a few users takes a minute or two.</summary>
    public static readonly TimeSpan DrillWait = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly JsonSerializerOptions Indented = new(DrillJsonContext.Default.Options) { WriteIndented = true };
    private static readonly JsonSerializerOptions IndentedNode = new() { WriteIndented = true };

    public static async Task<int> ReadinessAsync(AdminClient client, string tenant, string? user, bool json, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var path = $"admin/api/tenants/{Uri.EscapeDataString(tenant)}/readiness" + (user is null ? "" : "/" + Uri.EscapeDataString(user));
        var response = await client.GetAsync(path);
        if (!response.Ok)
        {
            await stderr.WriteLineAsync($"error: {response.Error}");
            return ContinuityCli.Failed;
        }

        if (json)
        {
            await stdout.WriteLineAsync(response.Json!.ToJsonString(IndentedNode));
        }

        IReadOnlyList<UserReadiness> results;
        if (user is null)
        {
            var all = JsonSerializer.Deserialize(response.Text, DrillJsonContext.Default.TenantReadiness)!;
            results = all.Results;
            if (!json)
            {
                await stdout.WriteLineAsync($"tenant {all.Tenant}: {all.Users - all.NotReady} of {all.Users} user(s) ready for failover to {all.Sovereign}");
            }
        }
        else
        {
            results = [JsonSerializer.Deserialize(response.Text, DrillJsonContext.Default.UserReadiness)!];
        }

        if (!json)
        {
            foreach (var r in results)
            {
                await stdout.WriteAsync(Format(r));
            }
        }

        return results.All(r => r.Ready) ? ContinuityCli.Ok : ContinuityCli.Failed;
    }

    public static async Task<int> DrillAsync(AdminClient client, string tenant, IReadOnlyList<string> users, bool live, bool json, TextWriter stdout, TextWriter stderr, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        time ??= TimeProvider.System;
        var path = $"admin/api/tenants/{Uri.EscapeDataString(tenant)}/drills";
        var started = await client.PostAsync(path, new DrillRequestBody([.. users], live));
        if (!started.Ok)
        {
            await stderr.WriteLineAsync($"error: {started.Error}");
            return ContinuityCli.Failed;
        }

        var report = JsonSerializer.Deserialize(started.Text, DrillJsonContext.Default.DrillReport)!;
        if (!json)
        {
            await stdout.WriteLineAsync($"drill {report.Id} ({(live ? "live" : "non-live")}) for {string.Join(", ", report.Users)} started");
        }

        var clock = time.GetTimestamp();
        var shown = 0;
        using var timer = new PeriodicTimer(PollInterval, time);
        while (report.Status == DrillStatus.Running)
        {
            if (time.GetElapsedTime(clock) > DrillWait || !await timer.WaitForNextTickAsync())
            {
                await stderr.WriteLineAsync($"error: drill {report.Id} still runs after {DrillWait.TotalMinutes:0} minutes; read it later with GET /{path}/{report.Id}");
                return ContinuityCli.Failed;
            }

            var current = await client.GetAsync($"{path}/{report.Id}");
            if (!current.Ok)
            {
                await stderr.WriteLineAsync($"error: {current.Error}");
                return ContinuityCli.Failed;
            }

            report = JsonSerializer.Deserialize(current.Text, DrillJsonContext.Default.DrillReport)!;
            if (!json)
            {
                for (; shown < report.Steps.Count; shown++)
                {
                    await stdout.WriteLineAsync(FormatStep(report.Steps[shown]));
                }
            }
        }

        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(report, Indented));
        }
        else
        {
            await stdout.WriteLineAsync($"drill {report.Id}: {report.Status.ToString().ToUpperInvariant()} — {report.Summary}");
        }

        return report.Status == DrillStatus.Passed ? ContinuityCli.Ok : ContinuityCli.Failed;
    }

    /// <summary>One user's readiness as the CLI prints it: a headline, then one line per check.</summary>
    public static string Format(UserReadiness r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{r.User} (on {r.Provider}): {(r.Ready ? "READY" : "NOT READY")}\n");
        foreach (var c in r.Checks)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Mark(c.Status)} {c.Name,-12} {c.Message}\n");
        }

        return text.ToString();
    }

    public static string FormatStep(DrillStep s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return string.Create(CultureInfo.InvariantCulture, $"  {Mark(s.Status)} {s.User}  {s.Channel + "/" + s.Name,-26} {s.Milliseconds,8:0} ms  {s.Message}");
    }

    private static string Mark(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "[pass]",
        CheckStatus.Warn => "[warn]",
        CheckStatus.Fail => "[FAIL]",
        _ => "[skip]",
    };
}
