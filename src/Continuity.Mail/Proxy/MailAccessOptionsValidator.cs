namespace Continuity.Mail.Proxy;

/// <summary>Checks <see cref="MailAccessOptions"/> (and the providers' IMAP/submission URIs and mailbox logins), reporting every error with its path.</summary>
internal sealed class MailAccessOptionsValidator(IOptions<ContinuityOptions> continuity) : SectionOptionsValidator<MailAccessOptions>(continuity, Check)
{
    private static readonly SearchValues<char> MasterForbidden = SearchValues.Create("\r\n\0\"\\ ");
    private static readonly SearchValues<char> SecretForbidden = SearchValues.Create("\r\n\0");

    public static ConfigurationErrorCollection Check(MailAccessOptions o, ContinuityOptions continuity)
    {
        var errors = new ConfigurationErrorCollection(MailAccessOptions.SectionName);
        if (o.Tls.CertificatePath is { } cert && !File.Exists(cert))
        {
            errors.Add("Tls:CertificatePath", $"'{cert}' does not exist (certs/make-dev-certs.sh makes development certificates)");
        }

        if (o.Tls.KeyPath is { } key && !File.Exists(key))
        {
            errors.Add("Tls:KeyPath", $"'{key}' does not exist");
        }

        if (o.Tls.KeyPath is not null && o.Tls.CertificatePath is null)
        {
            errors.Add("Tls:CertificatePath", "is required when Tls:KeyPath is set");
        }

        if ((continuity.Listeners.Imaps > 0 || o.SubmissionsPort > 0) && o.Tls.CertificatePath is null)
        {
            errors.Add("Tls:CertificatePath", "is required for the implicit-TLS ports (Continuity:Listeners:Imaps, SubmissionsPort)");
        }

        errors.Range("SubmissionsPort", o.SubmissionsPort, 0, 65535);
        errors.Range("MaxCommandLine", o.MaxCommandLine, 1024, 1024 * 1024);
        errors.Range("MaxLiteral", o.MaxLiteral, 256, 1024 * 1024);
        errors.Range("MaxCommandBytes", o.MaxCommandBytes, o.MaxCommandLine, 4 * 1024 * 1024);
        errors.Range("MaxAuthFailuresPerConnection", o.MaxAuthFailuresPerConnection, 1, 100);
        errors.Range("MaxSessions", o.MaxSessions, 1, 1_000_000);
        errors.Range("MaxPreLoginConnectionsPerAddress", o.MaxPreLoginConnectionsPerAddress, 0, 1_000_000);
        errors.Range("MaxSubmissionConnectionsPerAddress", o.MaxSubmissionConnectionsPerAddress, 0, 1_000_000);
        errors.Range("MaxMessageSize", o.MaxMessageSize, 1024, int.MaxValue);
        errors.Span("LoginTimeout", o.LoginTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        errors.Span("IdleTimeout", o.IdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        errors.Span("SessionTimeout", o.SessionTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
        errors.Span("BackendTimeout", o.BackendTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

        foreach (var (tenantId, tenant) in continuity.Tenants)
        {
            foreach (var (providerName, provider) in tenant.Providers)
            {
                var path = $"{ContinuityOptions.SectionName}:Tenants:{tenantId}:Providers:{providerName}:Mail";
                if (provider.Mail?.Imap is { } imap && !BackendEndpoint.TryParse(imap, BackendEndpoint.ImapSchemes, out _))
                {
                    errors.AddAt($"{path}:Imap", $"'{imap}' is not imap://host:port or imaps://host:port");
                }

                if (provider.Mail?.Submission is { } submission && !BackendEndpoint.TryParse(submission, BackendEndpoint.SubmissionSchemes, out _))
                {
                    errors.AddAt($"{path}:Submission", $"'{submission}' is not smtp://, submission:// or smtps://host:port");
                }

                if ((provider.Mail?.Imap ?? provider.Mail?.Submission) is not null)
                {
                    // Master user, or the provider's OAuth2 app credential (XOAUTH2): the same check as mailbox sync's.
                    MailLoginCheck.Check($"{path}:Login", provider.Mail!.Login, "logging users in to the provider's mailboxes", errors.AddAt);
                }

                if (provider.Mail?.Login.Master is { } master && master.AsSpan().IndexOfAny(MasterForbidden) >= 0)
                {
                    errors.AddAt($"{path}:Login:Master", $"must not contain spaces, quotes, backslashes or line breaks");
                }

                if (provider.Mail?.Login.MasterPassword is { } secret && secret.AsSpan().IndexOfAny(SecretForbidden) >= 0)
                {
                    errors.AddAt($"{path}:Login:MasterPassword", $"must not contain line breaks or NUL");
                }
            }
        }

        return errors;
    }
}
