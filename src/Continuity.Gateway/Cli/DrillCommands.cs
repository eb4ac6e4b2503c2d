using Continuity.Gateway.Drills;

namespace Continuity.Gateway.Cli;

/// <summary>
/// <c>continuity readiness --tenant T [--user U] [--json]</c> and <c>continuity drill --tenant T --user U [--user …]
/// [--live] [--json]</c>, on values already parsed (<see cref="Verbs.DrillVerbs"/> parses them). Exit 0 when every
/// user is ready / the drill passed, 1 when not (or the call failed), as a monitor or a CI job wants it.
/// </summary>
internal static class DrillCommands
{
    /// <summary>How long <c>drill</c> waits for a running drill's report: a live drill of a few users takes a minute or two.</summary>
    public static readonly TimeSpan DrillWait = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly JsonSerializerOptions Indented = new(DrillJsonContext.Default.Options) { WriteIndented = true };

    public static async Task<int> ReadinessAsync(AdminClient client, string tenant, string? user, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var path = $"admin/api/tenants/{Uri.EscapeDataString(tenant)}/readiness";
        IReadOnlyList<UserReadiness> results;
        if (user is null)
        {
            var response = await client.GetAsync(path, DrillJsonContext.Default.TenantReadiness);
            if (!response.Ok)
            {
                return await FailAsync(stderr, response.Error);
            }

            var all = response.Value!;
            results = all.Results;
            await stdout.WriteLineAsync(json ? JsonSerializer.Serialize(all, Indented)
                : $"tenant {all.Tenant}: {all.Users - all.NotReady} of {all.Users} user(s) ready for failover to {all.Sovereign}");
        }
        else
        {
            var response = await client.GetAsync($"{path}/{Uri.EscapeDataString(user)}", DrillJsonContext.Default.UserReadiness);
            if (!response.Ok)
            {
                return await FailAsync(stderr, response.Error);
            }

            results = [response.Value!];
            if (json)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(response.Value!, Indented));
            }
        }

        if (!json)
        {
            foreach (var r in results)
            {
                await stdout.WriteAsync(Format(r));
            }
        }

        return results.All(r => r.Ready) ? ExitCode.Ok : ExitCode.Failed;
    }

    public static async Task<int> DrillAsync(AdminClient client, string tenant, IReadOnlyList<string> users, bool live, bool json, TextWriter stdout, TextWriter stderr, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        time ??= TimeProvider.System;
        var path = $"admin/api/tenants/{Uri.EscapeDataString(tenant)}/drills";
        var started = await client.PostAsync(path, new DrillRequestBody([.. users], live), DrillJsonContext.Default.DrillRequestBody, DrillJsonContext.Default.DrillReport);
        if (!started.Ok)
        {
            return await FailAsync(stderr, started.Error);
        }

        var report = started.Value!;
        if (!json)
        {
            await stdout.WriteLineAsync($"drill {report.Id} ({(live ? "live" : "non-live")}) for {string.Join(", ", report.Users)} started");
        }

        var clock = time.GetTimestamp();
        var shown = 0;
        using var timer = new PeriodicTimer(PollInterval, time);
        while (report.Status == DrillStatus.Running)
        {
            if (time.GetElapsedTime(clock) > DrillWait || !await timer.WaitForNextTickAsync(cancellationToken))
            {
                return await FailAsync(stderr, $"drill {report.Id} still runs after {DrillWait.TotalMinutes:0} minutes; read it later with GET /{path}/{report.Id}");
            }

            var current = await client.GetAsync($"{path}/{report.Id}", DrillJsonContext.Default.DrillReport);
            if (!current.Ok)
            {
                return await FailAsync(stderr, current.Error);
            }

            report = current.Value!;
            if (!json)
            {
                for (; shown < report.Steps.Count; shown++)
                {
                    await stdout.WriteLineAsync(FormatStep(report.Steps[shown]));
                }
            }
        }

        await stdout.WriteLineAsync(json ? JsonSerializer.Serialize(report, Indented) : $"drill {report.Id}: {report.Status.ToString().ToUpperInvariant()} — {report.Summary}");
        return report.Status == DrillStatus.Passed ? ExitCode.Ok : ExitCode.Failed;
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

    private static async Task<int> FailAsync(TextWriter stderr, string error)
    {
        await stderr.WriteLineAsync($"error: {error}");
        return ExitCode.Failed;
    }

    private static string Mark(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "[pass]",
        CheckStatus.Warn => "[warn]",
        CheckStatus.Fail => "[FAIL]",
        _ => "[skip]",
    };
}
