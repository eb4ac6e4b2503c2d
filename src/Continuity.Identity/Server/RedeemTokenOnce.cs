using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Continuity.Identity.Server;

/// <summary>
/// Takes the place of OpenIddict's <c>RedeemTokenEntry</c>: the token used in the request (code, refresh
/// token, request token of a pushed authorization request) is claimed with one compare-and-set in the
/// state store (<see cref="Stores.TokenManager.TryRedeemAsync"/>), and a lost claim refuses the request.
/// OpenIddict's own handler ignores a failed refresh-token redemption (it tolerates two tabs refreshing at
/// once), so two gateway nodes redeeming one refresh token at the same instant could both issue tokens;
/// here the loser gets <c>invalid_grant</c> before any token is made (this handler runs where the built-in
/// one did, ahead of every token generation handler). The one exception is an operator's explicit refresh
/// token reuse leeway (<see cref="Configuration.TokenLifetimeOptions.RefreshTokenReuseLeeway"/>, zero by default).
/// </summary>
internal sealed class RedeemTokenOnce(IOpenIddictTokenManager tokens) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
        .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
        .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
        .UseScopedHandler<RedeemTokenOnce>()
        .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.EndpointType is OpenIddictServerEndpointType.Token && context.Request.IsRefreshTokenGrantType() && context.Options.DisableRollingRefreshTokens)
        {
            return; // a non-rolling refresh token is reusable by design (not enabled here)
        }

        var authentication = context.Transaction.GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!)
            ?? throw new InvalidOperationException("The authentication context of the request is missing.");
        var principal = context.EndpointType switch
        {
            OpenIddictServerEndpointType.Token when context.Request.IsAuthorizationCodeGrantType() => authentication.AuthorizationCodePrincipal,
            OpenIddictServerEndpointType.Token when context.Request.IsDeviceCodeGrantType() => authentication.DeviceCodePrincipal,
            OpenIddictServerEndpointType.Token when context.Request.IsRefreshTokenGrantType() => authentication.RefreshTokenPrincipal,
            OpenIddictServerEndpointType.Authorization => authentication.RequestTokenPrincipal,
            OpenIddictServerEndpointType.EndUserVerification => authentication.UserCodePrincipal,
            _ => null,
        };
        if (principal?.GetTokenId() is not { Length: > 0 } id)
        {
            return;
        }

        // A fresh read (entity caching is off): the claim succeeds only if nobody changed the entry since.
        var token = await tokens.FindByIdAsync(id);
        if (token is null || !await tokens.TryRedeemAsync(token))
        {
            if (principal.GetTokenType() == TokenTypeIdentifiers.RefreshToken && await WithinReuseLeewayAsync(context, id))
            {
                return;
            }

            var (error, description) = principal.GetTokenType() switch
            {
                TokenTypeIdentifiers.Private.AuthorizationCode => (Errors.InvalidGrant, "The authorization code has already been redeemed."),
                TokenTypeIdentifiers.RefreshToken => (Errors.InvalidGrant, "The refresh token has already been redeemed."),
                _ when context.EndpointType is OpenIddictServerEndpointType.Token => (Errors.InvalidGrant, "The token has already been redeemed."),
                _ => (Errors.InvalidRequest, "The request has already been used."),
            };
            context.Reject(error, description);
        }
    }

    /// <summary>
    /// Only with a configured reuse leeway (off by default): a refresh token redeemed moments ago (by another
    /// request or node) may be used again until the leeway ends, as OpenIddict's validation already allowed.
    /// </summary>
    private async Task<bool> WithinReuseLeewayAsync(ProcessSignInContext context, string id)
    {
        if (context.Options.RefreshTokenReuseLeeway is not { } leeway || await tokens.FindByIdAsync(id) is not { } token
            || !await tokens.HasStatusAsync(token, Statuses.Redeemed) || await tokens.GetRedemptionDateAsync(token) is not { } redeemed)
        {
            return false;
        }

        return context.Options.TimeProvider.GetUtcNow() < redeemed + leeway;
    }
}
