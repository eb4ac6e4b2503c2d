namespace Continuity.Identity;

/// <summary>Names shared by the identity endpoints.</summary>
public static class IdentityDefaults
{
    /// <summary>The gateway's own session (a cookie, shared across nodes through Data Protection).</summary>
    public const string CookieScheme = "Continuity.Identity";

    /// <summary>The <c>tenant</c> claim in the gateway's tokens.</summary>
    public const string TenantClaim = "tenant";

    /// <summary>Which upstream provider the session came through (kept in the cookie, not in tokens).</summary>
    public const string ProviderClaim = "continuity_provider";

    /// <summary>The address the user typed, carried in the upstream state token so a refusal can be attributed.</summary>
    public const string UserHintClaim = "continuity_user";

    /// <summary>When the gateway session started (unix ms, kept in the cookie): compared with an admin's revocation.</summary>
    public const string SessionStartedClaim = "continuity_session_at";

    public const string LoginPath = "/login";
}
