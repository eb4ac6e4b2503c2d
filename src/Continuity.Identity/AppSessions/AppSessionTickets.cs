using System.Buffers.Text;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace Continuity.Identity.AppSessions;

/// <summary>
/// Sign-in tickets that carry a login-host session to an app host. The gateway's session cookie is
/// host-only (it belongs to <c>login.&lt;tenant&gt;</c>), so after sign-in the login host redirects to
/// <c>https://{app host}/.continuity/session?ticket=…</c>; the app host redeems the ticket once and sets
/// its own host-only session cookie with the same claims (so the same revocation check applies to it).
/// <para>
/// A ticket is Data Protection output (keys shared by every node), lives <see cref="Lifetime"/>, names one
/// app host and is claimed once in the state store, so a node other than the issuing one can redeem it and
/// no node can redeem it twice. It is bound to the browser that asked for it (<see cref="AppSessionBinding"/>):
/// </para>
/// <code>
/// {continuity}:id:{tenant}:ticket:{id}   STRING "1", PX 2 × Lifetime   set NX on redemption; present = used
/// </code>
/// The key outlives the ticket, so a replay is always refused: first as used, then as expired.
/// </summary>
internal sealed class AppSessionTickets(IDataProtectionProvider protection, StateStore store, TimeProvider time)
{
    /// <summary>The gateway's path on every app host (the <c>/.continuity/</c> prefix is the gateway's there).</summary>
    public const string Path = "/.continuity/session";

    /// <summary>60 s: a redirect takes well under a second; a leaked ticket is useless a minute later.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly IDataProtector _protector = protection.CreateProtector("Continuity.Identity.AppSessionTicket.v1");

    /// <summary>The URL on the app host of <paramref name="target"/> that starts the session there and then goes to <paramref name="target"/>.</summary>
    public string RedirectFor(string tenant, Uri target, ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(principal);
        var (returnPath, binding) = AppSessionBinding.Take(target);
        var ticket = new AppSessionTicket(
            tenant,
            target.Host.ToLowerInvariant(),
            returnPath,
            (time.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds(),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            [.. principal.Claims.Select(c => new[] { c.Type, c.Value })],
            binding);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(ticket, AppSessionJsonContext.Default.AppSessionTicket);
        var protectedTicket = Base64Url.EncodeToString(_protector.Protect(bytes));
        return $"{target.GetLeftPart(UriPartial.Authority)}{Path}?ticket={protectedTicket}";
    }

    /// <summary>
    /// Reads, checks and claims a ticket presented on <paramref name="host"/> by a browser holding
    /// <paramref name="nonce"/> (its <see cref="AppSessionBinding.CookieName"/> cookie there).
    /// </summary>
    public async Task<AppSessionRedemption> RedeemAsync(string? value, string host, string? nonce, Func<string, TenantOptions?> findTenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(findTenant);
        if (Read(value) is not { } ticket)
        {
            return new AppSessionRedemption(AppSessionOutcome.Invalid);
        }

        if (!string.Equals(ticket.Host, host, StringComparison.OrdinalIgnoreCase)
            || findTenant(ticket.Tenant) is not { } tenant || !ReturnUrl.IsAppHost(tenant, host))
        {
            return new AppSessionRedemption(AppSessionOutcome.WrongHost);
        }

        if (time.GetUtcNow().ToUnixTimeMilliseconds() >= ticket.ExpiresAt)
        {
            return new AppSessionRedemption(AppSessionOutcome.Expired);
        }

        if (!AppSessionBinding.Matches(nonce, ticket.Binding))
        {
            // Not claimed: the browser that asked for it may still come.
            return new AppSessionRedemption(AppSessionOutcome.Unbound);
        }

        if (!ReturnUrl.IsLocalPath(ticket.ReturnPath) || ticket.Claims.Any(c => c is not [_, _]))
        {
            return new AppSessionRedemption(AppSessionOutcome.Invalid);
        }

        bool claimed;
        try
        {
            var key = store.Keys.Prefix + "id:" + ticket.Tenant + ":ticket:" + ticket.Id;
            claimed = await store.RunAsync(db => db.StringSetAsync(key, "1", Lifetime * 2, When.NotExists), cancellationToken).ConfigureAwait(false);
        }
        catch (StateUnavailableException)
        {
            return new AppSessionRedemption(AppSessionOutcome.Unavailable);
        }

        if (!claimed)
        {
            return new AppSessionRedemption(AppSessionOutcome.Replayed);
        }

        var identity = new ClaimsIdentity(ticket.Claims.Select(c => new Claim(c[0], c[1])), IdentityDefaults.CookieScheme, "name", "role");
        return new AppSessionRedemption(AppSessionOutcome.Redeemed, new ClaimsPrincipal(identity), ticket.ReturnPath);
    }

    private AppSessionTicket? Read(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 8192)
        {
            return null;
        }

        try
        {
            var bytes = _protector.Unprotect(Base64Url.DecodeFromChars(value));
            return JsonSerializer.Deserialize(bytes, AppSessionJsonContext.Default.AppSessionTicket);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}
