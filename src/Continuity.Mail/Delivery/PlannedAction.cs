namespace Continuity.Mail.Delivery;

internal enum PlannedStep
{
    /// <summary>Deliver to <see cref="PlannedAction.Provider"/>.</summary>
    Deliver,

    /// <summary>A held main whose route moved: make it pending again.</summary>
    Release,

    /// <summary>The continuity copy already sits in the provider the main now goes to: the main is done.</summary>
    AlreadyThere,
}

/// <param name="Provider">Provider name, or <see cref="DeliveryPlanner.Relay"/> for an address outside the tenants.</param>
internal sealed record PlannedAction(int Recipient, TargetKind Kind, PlannedStep Step, string Provider);
