namespace Continuity.Identity.Accounts;

/// <summary>What resolving an upstream identity to an account did.</summary>
public enum LinkOutcome
{
    /// <summary>The link already existed.</summary>
    Existing,

    /// <summary>A new link was made (to an existing account of that address, or a new account).</summary>
    Created,

    /// <summary>Refused: the address is already linked to another subject of the same upstream.</summary>
    Conflict,

    /// <summary>Refused: no link, and the upstream may not create one (untrusted provider, no verified address in the tenant's domains).</summary>
    NotLinkable,
}

/// <summary>The outcome and, unless refused, the account.</summary>
public sealed record LinkResult(LinkOutcome Outcome, Account? Account, string? Reason = null);
