namespace Continuity.Mail.Imap;

/// <summary>
/// The seam for OAUTHBEARER (RFC 7628) and XOAUTH2 logins with an access token issued by the gateway's own
/// OIDC provider. Continuity.Identity implements it (issuer, signature, lifetime, audience and a mail scope);
/// with none registered the proxy does not offer the mechanisms and answers them <c>NO [AUTHENTICATIONFAILED]</c>.
/// </summary>
public interface IBearerTokenValidator
{
    /// <summary>True when <paramref name="token"/> is a valid, unexpired access token for <paramref name="user"/> with mail access.</summary>
    Task<bool> ValidateAsync(string user, string token, CancellationToken cancellationToken);
}
