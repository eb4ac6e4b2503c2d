using System.Collections.Concurrent;
using System.Security.Claims;
using Continuity.Identity;
using Continuity.Identity.Configuration;
using Microsoft.AspNetCore.Authentication;

namespace Continuity.Web.Routing;

/// <summary>
/// The gateway session of an app request, remembered per cookie value for <see cref="WebOptions.SessionCheckCacheTime"/>:
/// decrypting the cookie and asking the state store about revocation and sign-out (one round trip) on every
/// proxied request costs more than the proxying itself. A session revoked or signed out is therefore refused at
/// most that long after the fact, on every node. Only accepted sessions whose cookie was not re-issued are kept,
/// and at most <see cref="MaxEntries"/> of them (then the cache starts over): bounded memory whatever the number of users.
/// </summary>
internal sealed class SessionCache(IOptionsMonitor<IdentityOptions> identity, IOptionsMonitor<WebOptions> web, TimeProvider time)
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (ClaimsPrincipal Principal, long Until)> _entries = new(StringComparer.Ordinal);

    /// <summary>The signed-in user of this request (from the cache or the cookie handler), or null.</summary>
    public async ValueTask<ClaimsPrincipal?> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cookie = context.Request.Cookies[identity.CurrentValue.CookieName];
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        var now = time.GetTimestamp();
        if (_entries.TryGetValue(cookie, out var entry) && entry.Until > now)
        {
            return entry.Principal;
        }

        var result = await context.AuthenticateAsync(IdentityDefaults.CookieScheme).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            _entries.TryRemove(cookie, out _);
            return null;
        }

        var keep = web.CurrentValue.SessionCheckCacheTime;
        // A chunked cookie's first value ("chunks-N") does not identify the session; a re-issued cookie is a new value.
        if (keep > TimeSpan.Zero && !cookie.StartsWith("chunks-", StringComparison.Ordinal) && !context.Response.Headers.ContainsKey("Set-Cookie"))
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            _entries[cookie] = (result.Principal, now + (long)(keep.TotalSeconds * time.TimestampFrequency));
        }

        return result.Principal;
    }
}
