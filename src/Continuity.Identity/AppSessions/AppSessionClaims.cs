using System.Buffers.Text;

namespace Continuity.Identity.AppSessions;

/// <summary>Claims of a gateway session beyond the user's own.</summary>
internal static class AppSessionClaims
{
    /// <summary>
    /// Random id of one sign-in, shared by the login-host session and every app-host session made from it
    /// (kept in the cookies, not in tokens): signing out ends them all by this id.
    /// </summary>
    public const string SessionId = "continuity_sid";

    public static string NewSessionId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
