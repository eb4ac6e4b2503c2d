namespace Continuity.Identity.Validation;

/// <summary>
/// Checks <c>Continuity:Identity:AccessTokens</c> against the server's scopes, every error at once: a mail scope that is
/// registered must give the mail audience, or no token would ever pass.
/// </summary>
internal sealed class AccessTokenOptionsValidator(IOptions<IdentityOptions> identity) : IValidateOptions<AccessTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string path = AccessTokenOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.MailScope))
        {
            errors.Add($"{path}:MailScope: must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.MailAudience))
        {
            errors.Add($"{path}:MailAudience: must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.AdminScope))
        {
            errors.Add($"{path}:AdminScope: must not be empty");
        }

        var scopes = identity.Value.Scopes;
        if (!string.IsNullOrWhiteSpace(options.MailScope) && scopes.TryGetValue(options.MailScope, out var resources) && !resources.Contains(options.MailAudience, StringComparer.Ordinal))
        {
            errors.Add($"{IdentityOptions.SectionName}:Scopes:{options.MailScope}: must list the mail audience '{options.MailAudience}' ({path}:MailAudience)");
        }

        for (var i = 0; i < options.MailClients.Count; i++)
        {
            if (!identity.Value.Clients.ContainsKey(options.MailClients[i]))
            {
                errors.Add($"{path}:MailClients:{i}: '{options.MailClients[i]}' is not a client under {IdentityOptions.SectionName}:Clients");
            }
        }

        return ConfigurationErrors.Result(errors);
    }
}
