using Continuity.Core.Tenants;
using Continuity.Mail.Drills;

namespace Continuity.Mail.Delivery;

/// <summary>
/// Decides, for one message at one instant, what is due: each recipient goes to the provider it is routed to
/// <b>now</b> (so a route change made while mail waits is followed), plus the continuity copy to the tenant's
/// sovereign provider while the user is routed elsewhere and the tenant has <c>ContinuityCopies</c> on.
/// Pure: reads the message, the route table and the tenants; changes nothing.
/// </summary>
/// <remarks>A continuity drill's probe (<see cref="DrillProbeRoutes"/>) goes where the drill said, not where the route says.</remarks>
internal sealed class DeliveryPlanner(RouteTable routes, TenantDirectory tenants, DrillProbeRoutes? probes = null)
{
    /// <summary>Pseudo provider for recipients outside every tenant (bounces to outside senders): the configured relay.</summary>
    public const string Relay = "@relay";

    public (List<PlannedAction> Due, DateTimeOffset? Next) Plan(QueuedMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var due = new List<PlannedAction>();
        DateTimeOffset? next = null;
        void Wait(DateTimeOffset at) => next = next is { } n && n < at ? n : at;
        for (var i = 0; i < message.Recipients.Count; i++)
        {
            var r = message.Recipients[i];
            bool IsDue(TargetState t) => r.RetryNow || t.NextAttempt <= now;
            if (r.Recipient.Tenant is not { } tenantId || tenants.Find(tenantId) is not { } tenant)
            {
                if (r.Main.Status == TargetStatus.Pending)
                {
                    if (IsDue(r.Main)) { due.Add(new(i, TargetKind.Main, PlannedStep.Deliver, Relay)); } else { Wait(r.Main.NextAttempt); }
                }

                continue;
            }

            var route = RouteOf(message, tenantId, tenant, r.Recipient.DeliverTo);
            var sovereign = CopyProvider(tenant);
            switch (r.Main.Status)
            {
                case TargetStatus.Held when !Same(route, r.Main.Provider) || r.RetryNow:
                    due.Add(new(i, TargetKind.Main, PlannedStep.Release, route));
                    break;
                case TargetStatus.Pending when sovereign is not null && Same(route, sovereign) && r.Copy.Status == TargetStatus.Delivered:
                    due.Add(new(i, TargetKind.Main, PlannedStep.AlreadyThere, route));
                    break;
                case TargetStatus.Pending when IsDue(r.Main):
                    due.Add(new(i, TargetKind.Main, PlannedStep.Deliver, route));
                    break;
                case TargetStatus.Pending:
                    Wait(r.Main.NextAttempt);
                    break;
            }

            if (NeedsCopy(r, route, sovereign))
            {
                if (IsDue(r.Copy)) { due.Add(new(i, TargetKind.Copy, PlannedStep.Deliver, sovereign!)); } else { Wait(r.Copy.NextAttempt); }
            }
        }

        return (due, next);
    }

    /// <summary>True when nothing is left to do: every main delivered, failed or deleted, and no copy outstanding.</summary>
    public bool IsComplete(QueuedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var r in message.Recipients)
        {
            if (r.Main.Status is TargetStatus.Pending or TargetStatus.Held)
            {
                return false;
            }

            if (r.Recipient.Tenant is { } tenantId && tenants.Find(tenantId) is { } tenant
                && NeedsCopy(r, RouteOf(message, tenantId, tenant, r.Recipient.DeliverTo), CopyProvider(tenant)))
            {
                return false;
            }
        }

        return true;
    }

    public string Route(string tenantId, TenantOptions tenant, string address)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var route = routes.Resolve(tenantId, address);
        return route is not null && tenant.FindProvider(route) is { } name ? name : tenant.DefaultProvider;
    }

    private string RouteOf(QueuedMessage message, string tenantId, TenantOptions tenant, string address) =>
        probes?.Find(message.Envelope.From, address) is { } probe && tenant.FindProvider(probe) is { } name ? name : Route(tenantId, tenant, address);

    private static string? CopyProvider(TenantOptions tenant) =>
        tenant.Failover.ContinuityCopies ? tenant.FindProvider(tenant.ResolveSovereignProvider()) : null;

    private static bool NeedsCopy(RecipientState r, string route, string? sovereign)
    {
        if (sovereign is null || r.Copy.Status != TargetStatus.Pending || r.Main.Status == TargetStatus.Failed)
        {
            return false;
        }

        var mainGoesTo = r.Main.Status == TargetStatus.Delivered ? r.Main.Provider : route;
        return !Same(mainGoesTo, sovereign);
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
