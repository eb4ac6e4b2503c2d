namespace Continuity.Mail.Configuration;

/// <summary>What the MX does with an address in a tenant's domain that is not one of the tenant's users.</summary>
public enum UnknownUserPolicy
{
    /// <summary>550 5.1.1 at RCPT time (default): the sender learns at once, and no bounce is ever needed.</summary>
    Reject,

    /// <summary>Accept and deliver to the routed provider, which decides (use when the user list is not complete).</summary>
    Accept,

    /// <summary>Accept and deliver to the tenant's catch-all address instead.</summary>
    CatchAll,
}
