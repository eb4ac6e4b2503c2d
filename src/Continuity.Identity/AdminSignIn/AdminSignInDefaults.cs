namespace Continuity.Identity.AdminSignIn;

/// <summary>Names of the admin sign-in scheme and the claims it gives (the same the API-key scheme gives).</summary>
public static class AdminSignInDefaults
{
    /// <summary>Authenticates the admin API with the gateway's own session (an admin who signed in through the login page).</summary>
    public const string Scheme = "ContinuityAdminOidc";

    /// <summary>The admin's tenant (same claim type as the admin API key handler's).</summary>
    public const string TenantClaim = "continuity:tenant";

    /// <summary>The admin's <c>AdminRole</c> name; absent for a signed-in user who is not an admin.</summary>
    public const string RoleClaim = "continuity:role";
}
