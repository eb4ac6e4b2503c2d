namespace Continuity.Testing;

/// <summary>
/// What <see cref="InProcessGateway.StartPartsAsync"/> hosts besides Core: a part's test project runs its part as the
/// gateway registers it, without the others (the whole gateway: <see cref="InProcessGateway.StartAsync(System.Text.Json.Nodes.JsonObject, int?)"/>).
/// </summary>
public enum GatewayParts
{
    /// <summary><c>AddContinuityIdentity</c> / <c>MapContinuityIdentity</c>: the identity tests' node.</summary>
    Identity,

    /// <summary>Identity and <c>AddContinuityWeb</c> / <c>MapContinuityWeb</c>: the web tests' gateway (sign-in, then proxying).</summary>
    IdentityAndWeb,
}
