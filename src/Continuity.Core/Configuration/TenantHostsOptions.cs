namespace Continuity.Core.Configuration;

/// <summary>Host names the tenant's people use; they never change when a provider does.</summary>
public sealed class TenantHostsOptions
{
    /// <summary>Login host of the gateway's OIDC issuer, e.g. <c>login.demo.test</c>.</summary>
    public string? Login { get; set; }

    /// <summary>IMAP/SMTP host name mail clients are configured with, e.g. <c>mail.demo.test</c>.</summary>
    public string? Mail { get; set; }

    /// <summary>Web apps by name → host name, e.g. <c>webmail → webmail.demo.test</c>.</summary>
    public Dictionary<string, string> Apps { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
