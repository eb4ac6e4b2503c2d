using OpenIddict.Validation;

namespace Continuity.Identity.Validation;

/// <summary>
/// The issuers OpenIddict's validation accepts: every tenant's issuer. Without this it would take the issuer from the HTTP
/// request's host (none for IMAP; the wrong one for an admin call on another host name). Which tenant a token must come
/// from is checked by its user (<see cref="MailTokenValidator"/>, <see cref="AdminBearerHandler"/>).
/// </summary>
internal sealed class ConfigureValidIssuers(IssuerDirectory issuers) : IConfigureOptions<OpenIddictValidationOptions>
{
    public void Configure(OpenIddictValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TokenValidationParameters.ValidIssuers = [.. issuers.All.SelectMany(i => new[] { i.Issuer.AbsoluteUri, i.Issuer.AbsoluteUri.TrimEnd('/') })];
    }
}
