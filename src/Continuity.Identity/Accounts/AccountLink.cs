namespace Continuity.Identity.Accounts;

/// <summary>One upstream identity linked to a gateway account.</summary>
/// <param name="Provider">Provider name within the tenant.</param>
/// <param name="Issuer">The upstream issuer (the provider's configured authority).</param>
/// <param name="Subject">The upstream <c>sub</c>.</param>
public sealed record AccountLink(string Provider, string Issuer, string Subject);
