namespace Continuity.Testing;

/// <summary>How an <see cref="OidcUpstream"/> fails every request (except its control API).</summary>
public enum OidcOutage
{
    None,

    /// <summary>HTTP 503 on every request, discovery, JWKS and token endpoint included.</summary>
    ServiceUnavailable,

    /// <summary>The connection is reset (TCP RST) without an answer.</summary>
    Reset,

    /// <summary>The request is accepted and never answered.</summary>
    Hang,
}
