using System.Net;

namespace Continuity.Web.Configuration;

/// <summary>Checks <c>Continuity:Web</c> and the tenants' app backends at start; reports every error with its path.</summary>
internal sealed class WebOptionsValidator(IOptions<ContinuityOptions> continuity) : IValidateOptions<WebOptions>
{
    private const string Web = "Continuity:Web";

    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.AssertionLifetime <= TimeSpan.Zero || options.AssertionLifetime > TimeSpan.FromSeconds(60))
        {
            errors.Add($"{Web}:AssertionLifetime: must be more than 0 and at most 00:01:00.");
        }

        if (options.SessionCheckCacheTime < TimeSpan.Zero || options.SessionCheckCacheTime > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{Web}:SessionCheckCacheTime: must be at least 0 and at most 00:00:30 (a revoked session must end soon).");
        }

        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.TrustedProxies[i], out _))
            {
                errors.Add($"{Web}:TrustedProxies:{i}: '{options.TrustedProxies[i]}' is not an IP address.");
            }
        }

        foreach (var (app, settings) in options.Apps)
        {
            ValidateApp($"{Web}:Apps:{app}", settings, errors);
        }

        ValidateTenants(continuity.Value, errors);
        return ConfigurationErrors.Result(errors);
    }

    private static void ValidateApp(string path, WebAppOptions app, List<string> errors)
    {
        for (var i = 0; i < app.PublicPaths.Count; i++)
        {
            if (!app.PublicPaths[i].StartsWith('/'))
            {
                errors.Add($"{path}:PublicPaths:{i}: must start with '/'.");
            }
        }

        if (app.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{path}:Timeout: must be more than 0.");
        }

        if (!app.HealthPath.StartsWith('/'))
        {
            errors.Add($"{path}:HealthPath: must start with '/'.");
        }

        if (app.HealthInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"{path}:HealthInterval: must be at least 00:00:00.1.");
        }

        if (app.HealthTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{path}:HealthTimeout: must be more than 0.");
        }

        if (app.HealthFailureThreshold < 1)
        {
            errors.Add($"{path}:HealthFailureThreshold: must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(app.AssertionHeader) || !app.AssertionHeader.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            errors.Add($"{path}:AssertionHeader: must be a header name (letters, digits, '-').");
        }
    }

    private static void ValidateTenants(ContinuityOptions options, List<string> errors)
    {
        var hosts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (tenantId, tenant) in options.Tenants)
        {
            foreach (var (app, host) in tenant.Hosts.Apps)
            {
                var path = $"Continuity:Tenants:{tenantId}:Hosts:Apps:{app}";
                if (!hosts.TryAdd(host, path))
                {
                    errors.Add($"{path}: host '{host}' is already used by {hosts[host]}.");
                }

                if (tenant.FindProvider(tenant.DefaultProvider) is { } provider && !tenant.Providers[provider].Apps.ContainsKey(app))
                {
                    errors.Add($"Continuity:Tenants:{tenantId}:Providers:{provider}:Apps:{app}: the default provider has no backend for app '{app}'.");
                }
            }

            foreach (var (providerName, provider) in tenant.Providers)
            {
                foreach (var (app, urls) in provider.Apps)
                {
                    for (var i = 0; i < urls.Count; i++)
                    {
                        if (!Uri.TryCreate(urls[i], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                        {
                            errors.Add($"Continuity:Tenants:{tenantId}:Providers:{providerName}:Apps:{app}:{i}: '{urls[i]}' is not an http(s) URL.");
                        }
                    }
                }
            }
        }
    }
}
