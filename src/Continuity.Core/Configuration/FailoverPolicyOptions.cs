namespace Continuity.Core.Configuration;

/// <summary>What a cut-off signal does.</summary>
public enum AutomaticFailover
{
    /// <summary>Signals are recorded in the audit log only.</summary>
    Off,

    /// <summary>Signals create a pending failover request that admins approve (default).</summary>
    Suggest,

    /// <summary>Signals change the route at once.</summary>
    Apply,
}

public sealed class FailoverPolicyOptions
{
    /// <summary>Default <see cref="AutomaticFailover.Suggest"/>: a person decides, the gateway prepares.</summary>
    public AutomaticFailover Automatic { get; set; } = AutomaticFailover.Suggest;

    /// <summary>Admins who must agree to a route change: 1, or 2 for the two-person rule. Default 1.</summary>
    public int Approvals { get; set; } = 1;

    /// <summary>How long a pending request waits for approval. Default 24 h (a working day plus the night).</summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// When user cut-off signals from one provider reach this many distinct users of the tenant within
    /// <see cref="TenantSignalWindow"/>, the provider is taken to have cut off the whole organisation: one tenant-wide
    /// signal follows (the same policy applies: a pending tenant failover by default). Default 5; 0 turns it off.
    /// </summary>
    public int TenantSignalUsers { get; set; } = 5;

    /// <summary>The window of <see cref="TenantSignalUsers"/>. Default 10 minutes.</summary>
    public TimeSpan TenantSignalWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Test users a live continuity drill may move to the sovereign side and back without a second admin, even when
    /// <see cref="Approvals"/> is 2 (an operator asks; the drill's route changes are audited as the drill's). Default
    /// none: under the two-person rule a live drill is refused, because it is a failover nobody approved. With
    /// <see cref="Approvals"/> 1 an operator may drill any known user live (they could move them alone anyway).
    /// </summary>
    public List<string> DrillUsers { get; set; } = [];

    /// <summary>Deliver a continuity copy of new mail to the sovereign mailbox while users are on the primary.</summary>
    public bool ContinuityCopies { get; set; }
}
