namespace Continuity.Mail.Backends;

/// <summary>
/// The check of a provider's <c>Mail:Login</c> section that every part logging in to the provider's mailboxes
/// (mailbox sync, the IMAP and submission proxy) shares: a master user and password, or a complete OAuth2 app
/// registration for <see cref="MailLoginMode.OAuth2ClientCredentials"/>. Errors name their configuration path.
/// </summary>
internal static class MailLoginCheck
{
    /// <param name="path">The path of the Login section (<c>Continuity:Tenants:t:Providers:p:Mail:Login</c>).</param>
    /// <param name="purpose">What needs the login, for the message (<c>mailbox sync</c>).</param>
    /// <param name="error">Receives (path, message).</param>
    public static void Check(string path, MailLoginOptions login, string purpose, Action<string, string> error)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(error);
        if (login.Mode == MailLoginMode.OAuth2ClientCredentials)
        {
            var oauth = login.OAuth2;
            if (!Uri.TryCreate(oauth.TokenEndpoint, UriKind.Absolute, out var endpoint)
                || !(endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback)))
            {
                error($"{path}:OAuth2:TokenEndpoint", "is required for Mode OAuth2ClientCredentials: an https:// URL (http:// only on loopback)");
            }

            if (string.IsNullOrWhiteSpace(oauth.ClientId))
            {
                error($"{path}:OAuth2:ClientId", "is required for Mode OAuth2ClientCredentials");
            }

            if (string.IsNullOrEmpty(oauth.ClientSecret) == string.IsNullOrWhiteSpace(oauth.ClientSecretFile))
            {
                error($"{path}:OAuth2:ClientSecret", "set exactly one of ClientSecret (prefer an environment variable) and ClientSecretFile");
            }

            return;
        }

        if (login.Mode != MailLoginMode.Master)
        {
            error($"{path}:Mode", "must be Master or OAuth2ClientCredentials");
            return;
        }

        if (string.IsNullOrWhiteSpace(login.Master))
        {
            error($"{path}:Master", $"is required for {purpose} (master user, logged in as user*master), or set Mode OAuth2ClientCredentials");
        }

        if (string.IsNullOrEmpty(login.MasterPassword))
        {
            error($"{path}:MasterPassword", $"is required for {purpose} (prefer an environment variable)");
        }
    }
}
