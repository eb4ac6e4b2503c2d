using OpenIddict.Core;

namespace Continuity.Identity.Stores;

/// <summary>
/// Closes a race OpenIddict leaves open between nodes: it checks a token's status when it validates
/// the request and redeems it later, and its <c>TryRedeemAsync</c> marks any entry it is given as
/// redeemed (even one found redeemed or revoked by then). Here only an entry still <c>valid</c> is
/// redeemed, and the store's versioned update (<see cref="RedisTokenStore.UpdateAsync"/>) makes the
/// claim a compare-and-set: of two nodes redeeming one code or refresh token at once, one wins.
/// <see cref="Server.RedeemTokenOnce"/> refuses the request that lost.
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
        return string.Equals(token.Status, OpenIddictConstants.Statuses.Valid, StringComparison.Ordinal)
            ? base.TryRedeemAsync(token, cancellationToken)
            : ValueTask.FromResult(false);
    }
}
