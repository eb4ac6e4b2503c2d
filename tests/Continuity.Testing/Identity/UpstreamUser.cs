namespace Continuity.Testing.Identity;

/// <summary>A user a stand-in upstream knows, keyed by the <c>login_hint</c> it is asked for.</summary>
public sealed record UpstreamUser(string Subject, string Email, bool EmailVerified, string? Name = null);
