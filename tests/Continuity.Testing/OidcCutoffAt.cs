namespace Continuity.Testing;

/// <summary>Where a cut-off user is refused.</summary>
public enum OidcCutoffAt
{
    /// <summary>At the token endpoint (back channel): 400 <c>invalid_grant</c>, <c>AADSTSnnnnn</c>, <c>error_codes</c>.</summary>
    Token,

    /// <summary>At the authorization endpoint (front channel): the browser returns with <c>error=access_denied</c>.</summary>
    Authorization,
}
