using OpenIddict.Client.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Federation;

/// <summary>
/// The claims an upstream sent about the user, read so that nothing a conforming provider sends can throw:
/// a claim present in both the ID token and the userinfo response (Keycloak repeats <c>sub</c>, <c>email</c>,
/// <c>email_verified</c>, <c>name</c>; Entra repeats <c>sub</c>, <c>name</c>, <c>email</c>) is one claim, the ID
/// token's value winning where both have one; a claim sent twice inside one token counts by its first value.
/// A <c>sub</c> that differs between the two is a conflict (OIDC Core 5.3.2: the userinfo response must be
/// rejected), reported by <see cref="SubjectConflict"/>.
/// </summary>
internal sealed class UpstreamClaims
{
    private readonly ClaimsPrincipal? _idToken;
    private readonly ClaimsPrincipal? _userInfo;
    private readonly ClaimsPrincipal? _merged;

    private UpstreamClaims(ClaimsPrincipal? idToken, ClaimsPrincipal? userInfo, ClaimsPrincipal? merged)
    {
        _idToken = idToken;
        _userInfo = userInfo;
        _merged = merged;
    }

    /// <summary>Reads the principals OpenIddict's client validated: the ID token (back channel, else front channel), userinfo, and the merged one.</summary>
    public static UpstreamClaims From(AuthenticateResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var properties = result.Properties;
        var idToken = properties?.GetParameter<ClaimsPrincipal>(OpenIddictClientAspNetCoreConstants.Properties.BackchannelIdentityTokenPrincipal)
            ?? properties?.GetParameter<ClaimsPrincipal>(OpenIddictClientAspNetCoreConstants.Properties.FrontchannelIdentityTokenPrincipal);
        var userInfo = properties?.GetParameter<ClaimsPrincipal>(OpenIddictClientAspNetCoreConstants.Properties.UserInfoTokenPrincipal);
        return new UpstreamClaims(idToken, userInfo, result.Principal);
    }

    /// <summary>For tests and callers that hold the two sources already.</summary>
    public static UpstreamClaims From(ClaimsPrincipal? idToken, ClaimsPrincipal? userInfo) => new(idToken, userInfo, null);

    /// <summary>True when the ID token and userinfo both carry a <c>sub</c> and they differ.</summary>
    public bool SubjectConflict =>
        First(_idToken, Claims.Subject) is { } a && First(_userInfo, Claims.Subject) is { } b && !string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>The claim's value: the ID token's, else userinfo's, else the merged principal's; null when absent or empty.</summary>
    public string? Get(string type) => First(_idToken, type) ?? First(_userInfo, type) ?? First(_merged, type);

    /// <summary>
    /// A boolean claim sent as a JSON boolean (<c>true</c>) or as a string (<c>"true"</c>, as some providers do):
    /// true only for a value that reads as true; absent, empty or anything else is false.
    /// </summary>
    public bool GetBoolean(string type) => bool.TryParse(Get(type)?.Trim(), out var value) && value;

    private static string? First(ClaimsPrincipal? principal, string type)
    {
        if (principal is null)
        {
            return null;
        }

        foreach (var claim in principal.FindAll(type))
        {
            if (!string.IsNullOrWhiteSpace(claim.Value))
            {
                return claim.Value;
            }
        }

        return null;
    }
}
