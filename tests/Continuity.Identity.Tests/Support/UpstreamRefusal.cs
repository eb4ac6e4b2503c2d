namespace Continuity.Identity.Tests.Support;

/// <summary>Where a stand-in upstream refuses a user, and with which Entra-style code.</summary>
internal sealed record UpstreamRefusal(bool AtTokenEndpoint, string Code, string Error = "access_denied");
