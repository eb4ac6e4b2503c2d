namespace Continuity.Identity.Accounts;

/// <summary>Who an upstream identity provider says signed in.</summary>
/// <param name="Tenant">Tenant id.</param>
/// <param name="Provider">Provider name within the tenant.</param>
/// <param name="Issuer">The upstream issuer (as in its tokens).</param>
/// <param name="Subject">The upstream <c>sub</c>.</param>
/// <param name="Email">The upstream <c>email</c> claim, if any.</param>
/// <param name="EmailVerified">The upstream <c>email_verified</c> claim (false when absent).</param>
/// <param name="Name">The upstream <c>name</c> claim, if any.</param>
public sealed record UpstreamIdentity(string Tenant, string Provider, string Issuer, string Subject, string? Email, bool EmailVerified, string? Name);
