using System.Text.RegularExpressions;
using Continuity.Core.Credentials;

namespace Continuity.Core.Configuration;

/// <summary>
/// Checks the whole configuration and reports <b>every</b> error at once, each with its
/// configuration path (<c>Continuity:Tenants:demo:DefaultProvider</c>), so an operator fixes a
/// file in one pass rather than one start-up failure at a time.
/// </summary>
public sealed partial class ContinuityOptionsValidator : IValidateOptions<ContinuityOptions>
{
    private const string Root = ContinuityOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ContinuityOptions options)
    {
        var errors = Check(options);
        return ConfigurationErrors.Result(errors);
    }

    /// <summary>All errors, each "path: message".</summary>
    public static ConfigurationErrorCollection Check(ContinuityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ConfigurationErrorCollection();

        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add($"{Root}:DataDir", "must name a directory");
        }

        CheckState(options.State, errors.Add);
        CheckDataProtection(options, errors.Add);
        CheckListeners(options.Listeners, errors.Add);

        if (options.Tenants.Count == 0)
        {
            errors.Add($"{Root}:Tenants", "at least one tenant is required");
        }

        var domainOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var apiKeyOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, tenant) in options.Tenants)
        {
            var path = $"{Root}:Tenants:{id}";
            if (!IdPattern().IsMatch(id))
            {
                errors.Add(path, "tenant id must be 1-63 characters of a-z, 0-9, '-' and '_'");
            }

            if (tenant is null)
            {
                errors.Add(path, "is empty");
                continue;
            }

            CheckTenant(path, id, tenant, domainOwners, apiKeyOwners, errors.Add);
        }

        return errors;
    }

    private static void CheckDataProtection(ContinuityOptions options, Action<string, string> error)
    {
        var keys = options.DataProtection;
        const string path = Root + ":DataProtection";
        if (keys.KeyFile is not null && keys.Certificate is not null)
        {
            error(path, "set KeyFile or Certificate, not both");
        }

        if (keys.KeyFile is { } file && !File.Exists(file))
        {
            error($"{path}:KeyFile", $"'{file}' does not exist (make one with: openssl rand -base64 32 > FILE; chmod 600 FILE)");
        }

        if (options.Audit.KeyFile is { } auditKey && !File.Exists(auditKey))
        {
            error($"{Root}:Audit:KeyFile", $"'{auditKey}' does not exist (make one with: openssl rand -base64 32 > FILE; chmod 600 FILE)");
        }

        if (keys.Certificate is { } certificate && !File.Exists(certificate))
        {
            error($"{path}:Certificate", $"'{certificate}' does not exist");
        }
    }

    /// <summary>
    /// The rules that depend on where the store is: an external store needs a Data Protection key (file or
    /// certificate) and an audit key file unless <see cref="ContinuityOptions.Development"/> is on — anyone who can
    /// read the store would otherwise read the keys that sign every session cookie and sign-in ticket, and nodes
    /// with keys of their own could not verify each other's audit records. Separate from <see cref="Check"/> so
    /// that hosts built in-process by tests (which never run the configuration check) are not held to it;
    /// <c>continuity serve</c> and <c>config check</c> run it through the gateway's one configuration check.
    /// </summary>
    public static List<string> CheckStoreSecrets(ContinuityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = options.DataProtection;
        var errors = new List<string>();
        if (options.State.Redis is null || options.Development)
        {
            return errors;
        }

        if (keys.KeyFile is null && keys.Certificate is null)
        {
            errors.Add($"{Root}:DataProtection:KeyFile: is required with an external state store (Continuity:State:Redis): the Data Protection keys kept there " +
                "must be encrypted (or set Continuity:DataProtection:Certificate; Continuity:Development: true allows clear keys on a development node)");
        }

        if (options.Audit.KeyFile is null)
        {
            // Every node appends to the same chains: a key generated per node would make the others' records unverifiable.
            errors.Add($"{Root}:Audit:KeyFile: is required with an external state store (Continuity:State:Redis): every node signs the audit chains " +
                "with the same key, kept outside the store (Continuity:Development: true generates one per node for development)");
        }

        return errors;
    }

    private static void CheckState(StateOptions state, Action<string, string> error)
    {
        if (state.EmbeddedPort is < 0 or > 65535)
        {
            error($"{Root}:State:EmbeddedPort", "must be 0 (any free port) or a TCP port");
        }

        if (string.IsNullOrEmpty(state.KeyPrefix) || state.KeyPrefix.Contains(' ', StringComparison.Ordinal))
        {
            error($"{Root}:State:KeyPrefix", "must be non-empty and contain no spaces");
        }

        if (state.RouteRecheckInterval <= TimeSpan.Zero || state.RouteRecheckInterval > TimeSpan.FromMinutes(5))
        {
            error($"{Root}:State:RouteRecheckInterval", "must be between 00:00:00.001 and 00:05:00");
        }

        if (state.Redis is { } redis && redis.Trim().Length == 0)
        {
            error($"{Root}:State:Redis", "is blank; leave it null for the embedded store");
        }
    }

    private static void CheckListeners(ListenerOptions listeners, Action<string, string> error)
    {
        foreach (var (name, port) in new[] { ("Smtp", listeners.Smtp), ("Submission", listeners.Submission), ("Imap", listeners.Imap), ("Imaps", listeners.Imaps), ("Management", listeners.Management) })
        {
            if (port is < 0 or > 65535)
            {
                error($"{Root}:Listeners:{name}", $"{port.ToString(CultureInfo.InvariantCulture)} is not a TCP port (0 turns the listener off)");
            }
        }

        if (!System.Net.IPAddress.TryParse(listeners.Address, out _))
        {
            error($"{Root}:Listeners:Address", $"'{listeners.Address}' is not an IP address");
        }

        if (listeners.Management > 0 && !System.Net.IPAddress.TryParse(listeners.ManagementAddress, out _))
        {
            error($"{Root}:Listeners:ManagementAddress", $"'{listeners.ManagementAddress}' is not an IP address");
        }
    }

    private static void CheckTenant(
        string path, string id, TenantOptions tenant,
        Dictionary<string, string> domainOwners, Dictionary<string, string> apiKeyOwners,
        Action<string, string> error)
    {
        if (tenant.Domains.Count == 0)
        {
            error($"{path}:Domains", "at least one mail domain is required");
        }

        for (var i = 0; i < tenant.Domains.Count; i++)
        {
            var domain = tenant.Domains[i];
            if (!DomainPattern().IsMatch(domain ?? ""))
            {
                error($"{path}:Domains:{i}", $"'{domain}' is not a domain name");
            }
            else if (!domainOwners.TryAdd(domain!, id))
            {
                error($"{path}:Domains:{i}", $"'{domain}' already belongs to tenant '{domainOwners[domain!]}'");
            }
        }

        CheckHosts(path, tenant.Hosts, error);

        if (tenant.Providers.Count == 0)
        {
            error($"{path}:Providers", "at least one provider is required");
        }

        var providerNames = string.Join(", ", tenant.Providers.Keys);
        if (string.IsNullOrWhiteSpace(tenant.DefaultProvider))
        {
            error($"{path}:DefaultProvider", "is required");
        }
        else if (tenant.FindProvider(tenant.DefaultProvider) is null)
        {
            error($"{path}:DefaultProvider", $"'{tenant.DefaultProvider}' is not one of the tenant's providers ({providerNames})");
        }

        if (tenant.SovereignProvider is { } sovereign && tenant.FindProvider(sovereign) is null)
        {
            error($"{path}:SovereignProvider", $"'{sovereign}' is not one of the tenant's providers ({providerNames})");
        }

        CheckFailover($"{path}:Failover", tenant.Failover, error);

        foreach (var (name, provider) in tenant.Providers)
        {
            CheckProvider($"{path}:Providers:{name}", name, provider, error);
        }

        for (var i = 0; i < tenant.Failover.DrillUsers.Count; i++)
        {
            if (!tenant.OwnsAddress(tenant.Failover.DrillUsers[i] ?? ""))
            {
                error($"{path}:Failover:DrillUsers:{i}", $"'{tenant.Failover.DrillUsers[i]}' is not an address in the tenant's domains");
            }
        }

        for (var i = 0; i < tenant.Users.Count; i++)
        {
            if (!tenant.OwnsAddress(tenant.Users[i] ?? ""))
            {
                error($"{path}:Users:{i}", $"'{tenant.Users[i]}' is not an address in the tenant's domains");
            }
        }

        foreach (var (admin, options) in tenant.Admins)
        {
            var adminPath = $"{path}:Admins:{admin}";
            if (options is null)
            {
                error(adminPath, "is empty");
                continue;
            }

            for (var i = 0; i < options.ApiKeyHashes.Count; i++)
            {
                var hash = options.ApiKeyHashes[i];
                if (!SecretHash.IsWellFormed(hash))
                {
                    error($"{adminPath}:ApiKeyHashes:{i}", "must be 'sha256:' and 64 hex digits (see 'continuity apikey new')");
                }
                else if (!apiKeyOwners.TryAdd(hash!, $"{id}/{admin}"))
                {
                    error($"{adminPath}:ApiKeyHashes:{i}", $"the same key already belongs to {apiKeyOwners[hash!]}");
                }
            }
        }
    }

    private static void CheckHosts(string path, TenantHostsOptions hosts, Action<string, string> error)
    {
        if (hosts.Login is { } login && !DomainPattern().IsMatch(login))
        {
            error($"{path}:Hosts:Login", $"'{login}' is not a host name");
        }

        if (hosts.Mail is { } mail && !DomainPattern().IsMatch(mail))
        {
            error($"{path}:Hosts:Mail", $"'{mail}' is not a host name");
        }

        foreach (var (app, host) in hosts.Apps)
        {
            if (!DomainPattern().IsMatch(host ?? ""))
            {
                error($"{path}:Hosts:Apps:{app}", $"'{host}' is not a host name");
            }
        }
    }

    private static void CheckFailover(string path, FailoverPolicyOptions failover, Action<string, string> error)
    {
        if (failover.Approvals is not (1 or 2))
        {
            error($"{path}:Approvals", $"must be 1 or 2, not {failover.Approvals.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!Enum.IsDefined(failover.Automatic))
        {
            error($"{path}:Automatic", "must be Off, Suggest or Apply");
        }

        if (failover.ApprovalTimeout < TimeSpan.FromMinutes(1) || failover.ApprovalTimeout > TimeSpan.FromDays(30))
        {
            error($"{path}:ApprovalTimeout", "must be between 00:01:00 and 30.00:00:00");
        }

        if (failover.TenantSignalUsers is not (0 or (>= 2 and <= 100_000)))
        {
            error($"{path}:TenantSignalUsers", $"must be 0 (off) or between 2 and 100000, not {failover.TenantSignalUsers.ToString(CultureInfo.InvariantCulture)}");
        }

        if (failover.TenantSignalWindow < TimeSpan.FromMinutes(1) || failover.TenantSignalWindow > TimeSpan.FromDays(1))
        {
            error($"{path}:TenantSignalWindow", "must be between 00:01:00 and 1.00:00:00");
        }
    }

    private static void CheckProvider(string path, string name, ProviderOptions? provider, Action<string, string> error)
    {
        if (!IdPattern().IsMatch(name))
        {
            error(path, "provider name must be 1-63 characters of a-z, 0-9, '-' and '_'");
        }

        if (provider is null)
        {
            return;
        }

        if (provider.Identity is { } identity)
        {
            if (!IsAbsoluteUri(identity.Authority, "https", "http"))
            {
                error($"{path}:Identity:Authority", $"'{identity.Authority}' is not an absolute http(s) URL");
            }

            if (string.IsNullOrWhiteSpace(identity.ClientId))
            {
                error($"{path}:Identity:ClientId", "is required");
            }

            if (identity.Profile == UpstreamProfile.Entra && !Guid.TryParse(identity.TenantId, out _))
            {
                error($"{path}:Identity:TenantId", "the Entra profile needs the directory (tenant) id, a GUID");
            }
        }

        if (provider.Mail is { } mail)
        {
            CheckMailUri($"{path}:Mail:Inbound", mail.Inbound, ["smtp", "smtps", "lmtp"], error);
            CheckMailUri($"{path}:Mail:Imap", mail.Imap, ["imap", "imaps"], error);
            CheckMailUri($"{path}:Mail:Submission", mail.Submission, ["smtp", "smtps", "submission", "submissions"], error);
        }

        foreach (var (app, urls) in provider.Apps)
        {
            if (urls is null || urls.Count == 0)
            {
                error($"{path}:Apps:{app}", "needs at least one backend URL");
                continue;
            }

            for (var i = 0; i < urls.Count; i++)
            {
                if (!IsAbsoluteUri(urls[i], "https", "http"))
                {
                    error($"{path}:Apps:{app}:{i}", $"'{urls[i]}' is not an absolute http(s) URL");
                }
            }
        }
    }

    private static void CheckMailUri(string path, string? value, string[] schemes, Action<string, string> error)
    {
        if (value is null)
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme) || uri.Port <= 0 || string.IsNullOrEmpty(uri.Host))
        {
            error(path, $"'{value}' must be {string.Join(" or ", schemes.Select(s => s + "://host:port"))}");
        }
    }

    private static bool IsAbsoluteUri(string? value, params string[] schemes) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")]
    private static partial Regex DomainPattern();
}
