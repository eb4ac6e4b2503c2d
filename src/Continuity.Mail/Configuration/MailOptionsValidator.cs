using System.Text.RegularExpressions;

namespace Continuity.Mail.Configuration;

/// <summary>
/// Checks <see cref="MailOptions"/> and reports every error at once, each with its configuration path
/// (<c>Continuity:Mail:Delivery:FirstRetryDelay</c>), like <see cref="ContinuityOptionsValidator"/>.
/// </summary>
internal sealed class MailOptionsValidator(IOptions<ContinuityOptions> continuity) : SectionOptionsValidator<MailOptions>(continuity, Check)
{
    private const string Root = MailOptions.SectionName;

    public static ConfigurationErrorCollection Check(MailOptions options, ContinuityOptions continuity)
    {
        var errors = new ConfigurationErrorCollection(Root);
        if (options.SpoolDir is { } spool && spool.Trim().Length == 0)
        {
            errors.Add("SpoolDir", "is blank; leave it null for <DataDir>/spool");
        }

        CheckLimits(options.Limits, errors);
        CheckTls(options.Tls, errors);
        CheckRecipients(options.Recipients, continuity, errors);
        CheckDelivery(options.Delivery, errors);
        CheckProbes(options.Probes, errors);
        return errors;
    }

    private static void CheckLimits(MxLimitsOptions limits, ConfigurationErrorCollection errors)
    {
        if (limits.MaxMessageSize < 1024)
        {
            errors.Add("Limits:MaxMessageSize", "must be at least 1024 bytes");
        }

        if (limits.MaxRecipients is < 1 or > 100_000)
        {
            errors.Add("Limits:MaxRecipients", "must be between 1 and 100000 (RFC 5321 asks for at least 100)");
        }

        errors.Span("Limits:IdleTimeout", limits.IdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        errors.Span("Limits:IdleTimeoutBeforeMail", limits.IdleTimeoutBeforeMail, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        errors.Span("Limits:SessionTimeout", limits.SessionTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (limits.MaxSessions is < 1 or > 100_000)
        {
            errors.Add("Limits:MaxSessions", "must be between 1 and 100000");
        }

        if (limits.MaxConnectionsPerAddress is < 0 or > 100_000)
        {
            errors.Add("Limits:MaxConnectionsPerAddress", "must be between 0 (no cap) and 100000");
        }
    }

    private static void CheckTls(MxTlsOptions tls, ConfigurationErrorCollection errors)
    {
        if (tls.CertificatePath is { } cert && !File.Exists(cert))
        {
            errors.Add("Tls:CertificatePath", $"'{cert}' does not exist (certs/make-dev-certs.sh makes development certificates)");
        }

        if (tls.KeyPath is { } key && !File.Exists(key))
        {
            errors.Add("Tls:KeyPath", $"'{key}' does not exist");
        }

        if (tls.KeyPath is not null && tls.CertificatePath is null)
        {
            errors.Add("Tls:CertificatePath", "is required when Tls:KeyPath is set");
        }

        if (tls.ImplicitTlsPort is < 0 or > 65535)
        {
            errors.Add("Tls:ImplicitTlsPort", "must be 0 (off) or a TCP port");
        }
        else if (tls.ImplicitTlsPort > 0 && tls.CertificatePath is null)
        {
            errors.Add("Tls:ImplicitTlsPort", "needs Tls:CertificatePath");
        }
    }

    private static void CheckRecipients(RecipientPolicyOptions recipients, ContinuityOptions continuity, ConfigurationErrorCollection errors)
    {
        if (!Enum.IsDefined(recipients.UnknownUsers))
        {
            errors.Add("Recipients:UnknownUsers", "must be Reject, Accept or CatchAll");
        }

        foreach (var (id, policy) in recipients.Tenants)
        {
            var path = $"Recipients:Tenants:{id}";
            var tenant = continuity.Tenants.TryGetValue(id, out var t) ? t : null;
            if (tenant is null)
            {
                errors.Add(path, $"'{id}' is not a tenant in Continuity:Tenants");
                continue;
            }

            if (policy is null)
            {
                continue;
            }

            var effective = policy.UnknownUsers ?? recipients.UnknownUsers;
            if (effective == UnknownUserPolicy.CatchAll && string.IsNullOrWhiteSpace(policy.CatchAllAddress))
            {
                errors.Add($"{path}:CatchAllAddress", "is required with UnknownUsers = CatchAll");
            }
            else if (policy.CatchAllAddress is { } catchAll && !tenant.OwnsAddress(catchAll))
            {
                errors.Add($"{path}:CatchAllAddress", $"'{catchAll}' is not in the tenant's domains");
            }
        }

        if (recipients.UnknownUsers == UnknownUserPolicy.CatchAll)
        {
            foreach (var id in continuity.Tenants.Keys)
            {
                if (!recipients.Tenants.TryGetValue(id, out var p) || p?.CatchAllAddress is null)
                {
                    errors.Add($"Recipients:Tenants:{id}:CatchAllAddress", "is required: the default policy is CatchAll");
                }
            }
        }
    }

    private static void CheckDelivery(DeliveryOptions delivery, ConfigurationErrorCollection errors)
    {
        errors.Span("Delivery:FirstRetryDelay", delivery.FirstRetryDelay, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        errors.Span("Delivery:MaxRetryDelay", delivery.MaxRetryDelay, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (delivery.MaxRetryDelay < delivery.FirstRetryDelay)
        {
            errors.Add("Delivery:MaxRetryDelay", "must not be shorter than Delivery:FirstRetryDelay");
        }

        errors.Span("Delivery:GiveUpAfter", delivery.GiveUpAfter, TimeSpan.FromMinutes(1), TimeSpan.FromDays(60));
        errors.Span("Delivery:ConnectTimeout", delivery.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        errors.Span("Delivery:CommandTimeout", delivery.CommandTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        if (delivery.Concurrency is < 1 or > 1000)
        {
            errors.Add("Delivery:Concurrency", "must be between 1 and 1000");
        }

        if (delivery.PoolSize is < 0 or > 1000)
        {
            errors.Add("Delivery:PoolSize", "must be between 0 (no pooling) and 1000");
        }

        var patterns = delivery.EffectiveDisabledMailboxPatterns;
        for (var i = 0; i < patterns.Count; i++)
        {
            try
            {
                _ = new Regex(patterns[i] ?? "", RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                errors.Add($"Delivery:DisabledMailboxPatterns:{i.ToString(CultureInfo.InvariantCulture)}", $"is not a regular expression: {e.Message}");
            }
        }

        if (delivery.Relay is { } relay
            && (!Uri.TryCreate(relay, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "lmtp") || uri.Port <= 0))
        {
            errors.Add("Delivery:Relay", $"'{relay}' must be smtp://host:port or lmtp://host:port");
        }
    }

    private static void CheckProbes(ProbeOptions probes, ConfigurationErrorCollection errors)
    {
        errors.Span("Probes:Interval", probes.Interval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        errors.Span("Probes:Timeout", probes.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        if (probes.Timeout > probes.Interval)
        {
            errors.Add("Probes:Timeout", "must not be longer than Probes:Interval");
        }

        errors.Span("Probes:DownAfter", probes.DownAfter, TimeSpan.Zero, TimeSpan.FromDays(1));
    }
}
