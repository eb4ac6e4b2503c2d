namespace Continuity.Identity.AppSessions;

/// <summary>
/// Where the login page may send the browser afterwards: a path on the login host, or an absolute URL
/// on one of the tenant's app hosts (the app then gets a sign-in ticket). Anything else — another host,
/// a protocol-relative <c>//evil</c>, <c>/\evil</c>, control characters a browser would strip — is refused,
/// never silently replaced, so an open-redirect attempt shows as what it is.
/// </summary>
internal static class ReturnUrl
{
    /// <summary>
    /// The return URL to use (a local path, or an absolute app URL), "/" when none was given, or null
    /// when <paramref name="value"/> is refused.
    /// </summary>
    public static string? Check(string? value, TenantOptions tenant, Uri issuer, bool allowHttp)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(issuer);
        if (string.IsNullOrEmpty(value))
        {
            return "/";
        }

        if (value.Length > 2048 || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return null;
        }

        if (value[0] == '/')
        {
            return IsLocalPath(value) ? value : null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && allowHttp)))
        {
            return null;
        }

        if (IsLoginHost(tenant, issuer, uri.Host))
        {
            return uri.PathAndQuery;
        }

        return IsAppHost(tenant, uri.Host) ? uri.AbsoluteUri : null;
    }

    /// <summary>True for an absolute URL (which <see cref="Check"/> only returns for an app host).</summary>
    public static bool IsApp(string checkedUrl) => checkedUrl.Length > 0 && checkedUrl[0] != '/';

    /// <summary>A path on this host: not <c>//host</c> nor <c>/\host</c> (browsers read both as another host).</summary>
    public static bool IsLocalPath(string value) =>
        value.Length > 0 && value[0] == '/' && (value.Length == 1 || (value[1] != '/' && value[1] != '\\'))
        && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    public static bool IsAppHost(TenantOptions tenant, string host)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        foreach (var appHost in tenant.Hosts.Apps.Values)
        {
            if (string.Equals(appHost, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLoginHost(TenantOptions tenant, Uri issuer, string host) =>
        string.Equals(issuer.Host, host, StringComparison.OrdinalIgnoreCase)
        || string.Equals(tenant.Hosts.Login, host, StringComparison.OrdinalIgnoreCase);
}
