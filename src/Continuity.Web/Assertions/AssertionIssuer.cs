using System.Collections.Concurrent;
using System.Security.Claims;
using Continuity.Identity;
using Continuity.Identity.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Continuity.Web.Assertions;

/// <summary>
/// Signed user assertions for backends: a JWT from the tenant's issuer (<c>sub</c>, <c>email</c>,
/// <c>tenant</c>, <c>aud</c> = <c>urn:continuity:app:</c>app, <c>typ</c> <c>continuity-assertion+jwt</c>, <c>exp</c> ≤ 60 s) signed with the gateway's current signing key,
/// so it verifies against the issuer's JWKS. A token is reused for a user and app while more than
/// half its lifetime is left: an RSA signature per proxied request would cost more than the proxying.
/// </summary>
internal sealed class AssertionIssuer(
    IOptionsMonitor<OpenIddictServerOptions> server,
    IOptionsMonitor<ContinuityOptions> continuity,
    IOptionsMonitor<IdentityOptions> identity,
    IOptionsMonitor<WebOptions> web,
    TimeProvider time)
{
    /// <summary>Cached tokens kept before the cache is emptied: bounded memory whatever the number of users.</summary>
    private const int MaxCached = 10_000;

    /// <summary>The JWT <c>typ</c> header of an assertion (an ID token has <c>JWT</c>, an access token <c>at+jwt</c>).</summary>
    public const string TokenType = "continuity-assertion+jwt";

    /// <summary>An assertion's <c>aud</c> is this followed by the app name (<c>urn:continuity:app:webmail</c>), never a bare client id.</summary>
    public const string AudiencePrefix = "urn:continuity:app:";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly ConcurrentDictionary<(string Tenant, string Sub, string Email, string App), (string Token, DateTimeOffset Renew)> _cache = new();

    public string? Issue(ClaimsPrincipal user, string tenantId, string app)
    {
        ArgumentNullException.ThrowIfNull(user);
        var sub = user.FindFirst("sub")?.Value;
        var email = user.FindFirst("email")?.Value;
        if (sub is null || email is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var key = (tenantId, sub, email, app);
        if (_cache.TryGetValue(key, out var cached) && cached.Renew > now)
        {
            return cached.Token;
        }

        var lifetime = web.CurrentValue.AssertionLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IssuerOf(tenantId),
            // Its own type and audience namespace: never valid as an ID token or access token at a relying
            // party whose client id happens to equal the app name (RFC 8725 §3.11, §3.9).
            TokenType = TokenType,
            Audience = AudiencePrefix + app,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = server.CurrentValue.SigningCredentials.FirstOrDefault()
                ?? throw new InvalidOperationException("The identity server has no signing key."),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = sub,
                ["email"] = email,
                [IdentityDefaults.TenantClaim] = tenantId,
            },
        });

        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[key] = (token, now + (lifetime / 2));
        return token;
    }

    private string? IssuerOf(string tenantId)
    {
        if (identity.CurrentValue.Tenants.GetValueOrDefault(tenantId)?.Issuer is { } configured)
        {
            return configured.EndsWith('/') ? configured : configured + "/";
        }

        return continuity.CurrentValue.Tenants.TryGetValue(tenantId, out var tenant) && tenant.Hosts.Login is { } login ? $"https://{login}/" : null;
    }
}
