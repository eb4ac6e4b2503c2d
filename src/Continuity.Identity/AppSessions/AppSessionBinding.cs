using System.Buffers.Text;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace Continuity.Identity.AppSessions;

/// <summary>
/// Binds an app-host sign-in ticket to the browser that asked for it (login CSRF: without this, a ticket URL
/// made by an attacker's own sign-in would start the attacker's session in the victim's browser, and the
/// victim would then type mail into the attacker's account).
/// <para>
/// When an app host sends a browser to the login host, it sets (or keeps) a random nonce in a host-only
/// cookie, <see cref="CookieName"/> (Path <c>/.continuity/</c>, HttpOnly, SameSite=Lax), and puts the nonce's
/// SHA-256 in the return URL as <see cref="QueryParameter"/>. The login host copies that hash into the ticket
/// (<see cref="AppSessionTickets.RedirectFor"/>) and takes it out of the return path; the app host redeems a
/// ticket only when the hash of the nonce cookie the browser presents equals it. A ticket without a binding,
/// or presented by another browser, is refused like any invalid ticket.
/// </para>
/// </summary>
public static class AppSessionBinding
{
    /// <summary>The nonce cookie on an app host.</summary>
    public const string CookieName = "__continuity_bind";

    /// <summary>The return-URL query parameter carrying the nonce's hash to the login host.</summary>
    public const string QueryParameter = "continuity_bind";

    /// <summary>How long a nonce cookie lives: longer than any sign-in takes; renewed at each challenge.</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// The hash to put in the return URL, after setting (or renewing) the nonce cookie on <paramref name="context"/>'s
    /// response. An existing well-formed nonce is kept, so two tabs signing in at once both succeed.
    /// </summary>
    public static string Bind(HttpContext context, bool secure)
    {
        ArgumentNullException.ThrowIfNull(context);
        var nonce = context.Request.Cookies[CookieName] is { Length: 43 } existing && Base64Url.IsValid(existing)
            ? existing
            : Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        context.Response.Cookies.Append(CookieName, nonce, new CookieOptions
        {
            Path = "/.continuity/",
            HttpOnly = true,
            Secure = secure,
            SameSite = SameSiteMode.Lax,
            MaxAge = CookieLifetime,
            IsEssential = true,
        });
        return Hash(nonce);
    }

    /// <summary><paramref name="returnUrl"/> with the binding parameter added.</summary>
    public static string AddTo(string returnUrl, string hash) => QueryHelpers.AddQueryString(returnUrl, QueryParameter, hash);

    /// <summary>SHA-256 of a nonce, base64url.</summary>
    public static string Hash(string nonce) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(nonce)));

    /// <summary>True when <paramref name="nonce"/> (the cookie) hashes to <paramref name="binding"/> (the ticket's).</summary>
    internal static bool Matches(string? nonce, string? binding) =>
        nonce is { Length: > 0 and <= 128 } && binding is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(nonce)), Encoding.ASCII.GetBytes(binding));

    /// <summary>Splits the binding parameter off an app URL: the path and query without it, and its value (null when absent).</summary>
    internal static (string PathAndQuery, string? Binding) Take(Uri target)
    {
        var query = QueryHelpers.ParseQuery(target.Query);
        if (!query.TryGetValue(QueryParameter, out var values))
        {
            return (target.PathAndQuery, null);
        }

        var rest = new QueryBuilder(query.Where(q => q.Key != QueryParameter).SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))));
        return (target.AbsolutePath + rest.ToQueryString(), values.Count == 1 ? values[0] : null);
    }
}
