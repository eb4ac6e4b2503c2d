namespace Continuity.Testing.Identity;

/// <summary>Where a stand-in upstream refuses a user, and with which Entra-style code.</summary>
public sealed record UpstreamRefusal(bool AtTokenEndpoint, string Code, string Error = "access_denied");
