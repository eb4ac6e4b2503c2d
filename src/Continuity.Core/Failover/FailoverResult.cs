using Continuity.Core.Approvals;
using Continuity.Core.Routing;

namespace Continuity.Core.Failover;

/// <summary>A route change request's outcome: applied now (<see cref="Change"/>), or waiting (<see cref="Pending"/>).</summary>
public sealed record FailoverResult(RouteChangeResult? Change, ApprovalRequest? Pending);
