using Continuity.Identity.Validation;
using Continuity.Mail.Imap;

namespace Continuity.Gateway.Hosting;

/// <summary>
/// The mail proxy's bearer-token seam answered by the identity part (Mail and Identity do not reference each other;
/// the gateway joins them): OAUTHBEARER / XOAUTH2 accept the gateway's own access tokens with the mail scope.
/// </summary>
internal sealed class GatewayBearerTokens(MailTokenValidator validator) : IBearerTokenValidator
{
    public Task<bool> ValidateAsync(string user, string token, CancellationToken cancellationToken) =>
        validator.ValidateAsync(user, token, cancellationToken);
}
