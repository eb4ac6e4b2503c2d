namespace Continuity.Identity.Validation;

/// <summary>Names of the bearer-token scheme the admin API adds to its policy.</summary>
public static class TokenValidationDefaults
{
    /// <summary>Admin API with an access token of the gateway's own server (see <see cref="AdminBearerHandler"/>).</summary>
    public const string AdminBearerScheme = "ContinuityAdminBearer";
}
