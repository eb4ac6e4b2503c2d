using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace Continuity.Identity.Stores;

/// <summary>
/// Closes a race OpenIddict leaves open between nodes: it checks a code's status when it validates
/// the request and redeems it later, and its <c>TryRedeemAsync</c> reports success for an entry that
/// is already redeemed. Two nodes redeeming one code at once could then both issue tokens. Here an
/// entry found already redeemed is a lost race, so the second request is refused.
/// </summary>
internal sealed class TokenManager(
    IOpenIddictTokenCache<IdentityToken> cache,
    ILogger<OpenIddictTokenManager<IdentityToken>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictTokenStore<IdentityToken> store)
    : OpenIddictTokenManager<IdentityToken>(cache, logger, options, store)
{
    public override ValueTask<bool> TryRedeemAsync(IdentityToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return string.Equals(token.Status, OpenIddictConstants.Statuses.Redeemed, StringComparison.Ordinal)
            ? ValueTask.FromResult(false)
            : base.TryRedeemAsync(token, cancellationToken);
    }
}
