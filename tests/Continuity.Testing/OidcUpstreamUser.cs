namespace Continuity.Testing;

/// <summary>
/// A user the upstream signs in when asked with <c>login_hint</c> = <paramref name="Address"/>.
/// <paramref name="Claims"/> override the profile's claims: a value replaces, null removes, and a
/// key <c>id_token:X</c> or <c>userinfo:X</c> applies to one place only (e.g. <c>userinfo:sub</c>).
/// </summary>
public sealed record OidcUpstreamUser(string Address, string Subject, string Name, IReadOnlyDictionary<string, object?>? Claims = null);
