namespace Continuity.Testing;

/// <summary>A client registered at the upstream (the gateway, or any relying party of the upstream).</summary>
public sealed record OidcUpstreamClient(string ClientId, string ClientSecret, IReadOnlyList<string> RedirectUris);
