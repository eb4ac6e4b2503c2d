namespace Continuity.Identity.Cutoff;

/// <summary>What an upstream login error means for continuity.</summary>
public enum CutoffClass
{
    /// <summary>The provider stopped serving this one user (disabled, deleted, unassigned, blocked): a per-user signal.</summary>
    PerUser,

    /// <summary>A policy refused this sign-in (conditional access, lock-out): logged and audited, no signal.</summary>
    Policy,

    /// <summary>The provider stopped serving the whole tenant or the gateway's app registration: a tenant-wide signal.</summary>
    Tenant,

    /// <summary>The provider is having trouble (5xx, timeouts, <c>temporarily_unavailable</c>): no signal from one login.</summary>
    Transient,

    /// <summary>An ordinary failure (bad password, MFA, consent, user cancelled): not a cut-off.</summary>
    None,
}
