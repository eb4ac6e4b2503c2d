namespace Continuity.Identity.Tests.Support;

/// <summary>A user a stand-in upstream knows, keyed by the <c>login_hint</c> it is asked for.</summary>
internal sealed record UpstreamUser(string Subject, string Email, bool EmailVerified, string Name);
