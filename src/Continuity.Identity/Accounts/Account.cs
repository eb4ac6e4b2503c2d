namespace Continuity.Identity.Accounts;

/// <summary>A gateway account: its id is the <c>sub</c> every relying party sees, whichever upstream the user came through.</summary>
/// <param name="Id">Opaque, random, never reused.</param>
/// <param name="Tenant">Tenant id.</param>
/// <param name="Email">The user's address, lower case.</param>
/// <param name="Name">Display name, from the first link (may be null).</param>
public sealed record Account(string Id, string Tenant, string Email, string? Name);
