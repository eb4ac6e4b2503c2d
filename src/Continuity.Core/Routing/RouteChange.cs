namespace Continuity.Core.Routing;

/// <summary>A request to route <see cref="User"/> (or the whole tenant, when null) to <see cref="To"/>.</summary>
/// <param name="ExpectedVersion">When set, the change is refused with a conflict unless the route version is still this.</param>
public sealed record RouteChange(
    string Tenant,
    string? User,
    string To,
    string Actor,
    string Reason,
    long? ExpectedVersion = null,
    string? Details = null);

/// <summary>Outcome of <see cref="RouteStore.ChangeAsync"/>.</summary>
public enum RouteChangeStatus
{
    Applied,

    /// <summary>Already routed there: nothing written, nothing audited.</summary>
    Unchanged,

    /// <summary>The route version is not the expected one.</summary>
    VersionConflict,
}

public sealed record RouteChangeResult(RouteChangeStatus Status, long Version, string Before, string After, long? AuditSeq = null);
