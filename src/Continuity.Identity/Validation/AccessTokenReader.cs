using OpenIddict.Validation;

namespace Continuity.Identity.Validation;

/// <summary>
/// OpenIddict's validation of the gateway's own access tokens (<see cref="OpenIddictValidationService.ValidateAccessTokenAsync"/>:
/// signature with the server's keys, lifetime on the injected clock, one of the tenants' issuers, and the token entry in the
/// store, so a revoked token fails on every node). Usable outside an HTTP request (IMAP, submission).
/// </summary>
internal sealed class AccessTokenReader(OpenIddictValidationService validation)
{
    /// <summary>Longer than any token the gateway issues; longer input is refused before parsing.</summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>The validated token, or null with the reason (never the token text).</summary>
    public async Task<(GatewayAccessToken? Token, string? Error)> ReadAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > MaxTokenLength)
        {
            return (null, "empty or oversized token");
        }

        try
        {
            var principal = await validation.ValidateAccessTokenAsync(token, cancellationToken).ConfigureAwait(false);
            return principal is null ? (null, "no principal") : (new GatewayAccessToken(principal), null);
        }
        catch (OpenIddictExceptions.ProtocolException ex)
        {
            return (null, ex.Error ?? "invalid_token");
        }
    }
}
