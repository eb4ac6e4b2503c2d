namespace Continuity.Gateway.Drills;

/// <summary>Where a drill is.</summary>
public enum DrillStatus
{
    Running,

    /// <summary>Every step passed (or warned).</summary>
    Passed,

    /// <summary>At least one step failed: its message names the cause.</summary>
    Failed,
}

/// <summary>
/// One step of a drill for one user. <see cref="Channel"/> groups steps: <c>readiness</c>, <c>identity</c>,
/// <c>mail</c>, <c>imap</c>, <c>route</c>, <c>duplicates</c>, <c>cleanup</c>.
/// </summary>
/// <param name="Milliseconds">How long the step took; for the channels of a live drill, from the route change until the channel worked on the sovereign side.</param>
public sealed record DrillStep(string User, string Channel, string Name, CheckStatus Status, string Message, DateTimeOffset StartedAt, double Milliseconds);

/// <summary>A drill's report, stored in the state store and shown by the admin API, the CLI and the console.</summary>
public sealed record DrillReport(
    string Id,
    string Tenant,
    string RequestedBy,
    bool Live,
    IReadOnlyList<string> Users,
    DrillStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<DrillStep> Steps,
    string? Summary = null)
{
    /// <summary>Failed steps, one line each.</summary>
    public IEnumerable<string> Failures => Steps.Where(s => s.Status == CheckStatus.Fail).Select(s => $"{s.User} {s.Channel}/{s.Name}: {s.Message}");
}

/// <summary>Body of <c>POST /admin/api/tenants/{tenant}/drills</c>.</summary>
public sealed record DrillRequestBody(List<string>? Users, bool Live);
