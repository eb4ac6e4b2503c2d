namespace Continuity.Core.Configuration;

/// <summary>One hosting side of a tenant: its identity upstream, its mail backends and its web app backends.</summary>
public sealed class ProviderOptions
{
    public string? DisplayName { get; set; }

    public ProviderIdentityOptions? Identity { get; set; }

    public ProviderMailOptions? Mail { get; set; }

    /// <summary>Web app name → backend base URLs of this provider.</summary>
    public Dictionary<string, List<string>> Apps { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The provider's upstream OIDC identity provider.</summary>
public sealed class ProviderIdentityOptions
{
    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";

    /// <summary>Secret; prefer an environment variable. Never logged, never shown by the admin API.</summary>
    public string? ClientSecret { get; set; }
}

/// <summary>The provider's mail backends, as URIs (<c>smtp://</c>, <c>lmtp://</c>, <c>imap://</c>, <c>imaps://</c>, <c>submission://</c>).</summary>
public sealed class ProviderMailOptions
{
    public string? Inbound { get; set; }
    public string? Imap { get; set; }
    public string? Submission { get; set; }
    public MailLoginOptions Login { get; set; } = new();
}

/// <summary>How the gateway logs in to the provider's mailboxes on a user's behalf.</summary>
public sealed class MailLoginOptions
{
    /// <summary>Master user name (Dovecot <c>user*master</c>).</summary>
    public string? Master { get; set; }

    /// <summary>Secret; prefer an environment variable. Never logged, never shown by the admin API.</summary>
    public string? MasterPassword { get; set; }
}
