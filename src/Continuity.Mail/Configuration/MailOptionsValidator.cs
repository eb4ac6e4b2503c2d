using System.Globalization;
using System.Text.RegularExpressions;
using Continuity.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Configuration;

/// <summary>
/// Checks <see cref="MailOptions"/> and reports every error at once, each with its configuration path
/// (<c>Continuity:Mail:Delivery:FirstRetryDelay</c>), like <see cref="ContinuityOptionsValidator"/>.
/// </summary>
internal sealed class MailOptionsValidator(IOptions<ContinuityOptions> continuity) : SectionOptionsValidator<MailOptions>(continuity)
{
    private const string Root = MailOptions.SectionName;

    protected override IReadOnlyCollection<string> Errors(MailOptions options, ContinuityOptions continuity) => Check(options, continuity);

    public static List<string> Check(MailOptions options, ContinuityOptions continuity)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(continuity);
        var errors = new List<string>();
        void Error(string path, string message) => errors.Add($"{Root}:{path}: {message}");

        if (options.SpoolDir is { } spool && spool.Trim().Length == 0)
        {
            Error("SpoolDir", "is blank; leave it null for <DataDir>/spool");
        }

        CheckLimits(options.Limits, Error);
        CheckTls(options.Tls, Error);
        CheckRecipients(options.Recipients, continuity, Error);
        CheckDelivery(options.Delivery, Error);
        CheckProbes(options.Probes, Error);
        return errors;
    }

    private static void CheckLimits(MxLimitsOptions limits, Action<string, string> error)
    {
        if (limits.MaxMessageSize < 1024)
        {
            error("Limits:MaxMessageSize", "must be at least 1024 bytes");
        }

        if (limits.MaxRecipients is < 1 or > 100_000)
        {
            error("Limits:MaxRecipients", "must be between 1 and 100000 (RFC 5321 asks for at least 100)");
        }

        CheckSpan("Limits:IdleTimeout", limits.IdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), error);
        CheckSpan("Limits:IdleTimeoutBeforeMail", limits.IdleTimeoutBeforeMail, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), error);
        CheckSpan("Limits:SessionTimeout", limits.SessionTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), error);
        if (limits.MaxSessions is < 1 or > 100_000)
        {
            error("Limits:MaxSessions", "must be between 1 and 100000");
        }

        if (limits.MaxConnectionsPerAddress is < 0 or > 100_000)
        {
            error("Limits:MaxConnectionsPerAddress", "must be between 0 (no cap) and 100000");
        }
    }

    private static void CheckTls(MxTlsOptions tls, Action<string, string> error)
    {
        if (tls.CertificatePath is { } cert && !File.Exists(cert))
        {
            error("Tls:CertificatePath", $"'{cert}' does not exist (certs/make-dev-certs.sh makes development certificates)");
        }

        if (tls.KeyPath is { } key && !File.Exists(key))
        {
            error("Tls:KeyPath", $"'{key}' does not exist");
        }

        if (tls.KeyPath is not null && tls.CertificatePath is null)
        {
            error("Tls:CertificatePath", "is required when Tls:KeyPath is set");
        }

        if (tls.ImplicitTlsPort is < 0 or > 65535)
        {
            error("Tls:ImplicitTlsPort", "must be 0 (off) or a TCP port");
        }
        else if (tls.ImplicitTlsPort > 0 && tls.CertificatePath is null)
        {
            error("Tls:ImplicitTlsPort", "needs Tls:CertificatePath");
        }
    }

    private static void CheckRecipients(RecipientPolicyOptions recipients, ContinuityOptions continuity, Action<string, string> error)
    {
        if (!Enum.IsDefined(recipients.UnknownUsers))
        {
            error("Recipients:UnknownUsers", "must be Reject, Accept or CatchAll");
        }

        foreach (var (id, policy) in recipients.Tenants)
        {
            var path = $"Recipients:Tenants:{id}";
            var tenant = continuity.Tenants.TryGetValue(id, out var t) ? t : null;
            if (tenant is null)
            {
                error(path, $"'{id}' is not a tenant in Continuity:Tenants");
                continue;
            }

            if (policy is null)
            {
                continue;
            }

            var effective = policy.UnknownUsers ?? recipients.UnknownUsers;
            if (effective == UnknownUserPolicy.CatchAll && string.IsNullOrWhiteSpace(policy.CatchAllAddress))
            {
                error($"{path}:CatchAllAddress", "is required with UnknownUsers = CatchAll");
            }
            else if (policy.CatchAllAddress is { } catchAll && !tenant.OwnsAddress(catchAll))
            {
                error($"{path}:CatchAllAddress", $"'{catchAll}' is not in the tenant's domains");
            }
        }

        if (recipients.UnknownUsers == UnknownUserPolicy.CatchAll)
        {
            foreach (var id in continuity.Tenants.Keys)
            {
                if (!recipients.Tenants.TryGetValue(id, out var p) || p?.CatchAllAddress is null)
                {
                    error($"Recipients:Tenants:{id}:CatchAllAddress", "is required: the default policy is CatchAll");
                }
            }
        }
    }

    private static void CheckDelivery(DeliveryOptions delivery, Action<string, string> error)
    {
        CheckSpan("Delivery:FirstRetryDelay", delivery.FirstRetryDelay, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), error);
        CheckSpan("Delivery:MaxRetryDelay", delivery.MaxRetryDelay, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), error);
        if (delivery.MaxRetryDelay < delivery.FirstRetryDelay)
        {
            error("Delivery:MaxRetryDelay", "must not be shorter than Delivery:FirstRetryDelay");
        }

        CheckSpan("Delivery:GiveUpAfter", delivery.GiveUpAfter, TimeSpan.FromMinutes(1), TimeSpan.FromDays(60), error);
        CheckSpan("Delivery:ConnectTimeout", delivery.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), error);
        CheckSpan("Delivery:CommandTimeout", delivery.CommandTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), error);
        if (delivery.Concurrency is < 1 or > 1000)
        {
            error("Delivery:Concurrency", "must be between 1 and 1000");
        }

        if (delivery.PoolSize is < 0 or > 1000)
        {
            error("Delivery:PoolSize", "must be between 0 (no pooling) and 1000");
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
                error($"Delivery:DisabledMailboxPatterns:{i.ToString(CultureInfo.InvariantCulture)}", $"is not a regular expression: {e.Message}");
            }
        }

        if (delivery.Relay is { } relay
            && (!Uri.TryCreate(relay, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "lmtp") || uri.Port <= 0))
        {
            error("Delivery:Relay", $"'{relay}' must be smtp://host:port or lmtp://host:port");
        }
    }

    private static void CheckProbes(ProbeOptions probes, Action<string, string> error)
    {
        CheckSpan("Probes:Interval", probes.Interval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), error);
        CheckSpan("Probes:Timeout", probes.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), error);
        if (probes.Timeout > probes.Interval)
        {
            error("Probes:Timeout", "must not be longer than Probes:Interval");
        }

        CheckSpan("Probes:DownAfter", probes.DownAfter, TimeSpan.Zero, TimeSpan.FromDays(1), error);
    }

    private static void CheckSpan(string path, TimeSpan value, TimeSpan min, TimeSpan max, Action<string, string> error)
    {
        if (value < min || value > max)
        {
            error(path, $"must be between {min.ToString("c", CultureInfo.InvariantCulture)} and {max.ToString("c", CultureInfo.InvariantCulture)}");
        }
    }
}
