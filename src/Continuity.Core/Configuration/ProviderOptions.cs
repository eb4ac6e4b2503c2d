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

    /// <summary>
    /// What this upstream's claims mean: which one is the stable identity and which address may link an
    /// account. Default <see cref="UpstreamProfile.Generic"/>.
    /// </summary>
    public UpstreamProfile Profile { get; set; } = UpstreamProfile.Generic;

    /// <summary>
    /// The Entra directory (tenant) id this provider signs in for; required with <see cref="UpstreamProfile.Entra"/>.
    /// A sign-in whose <c>tid</c> differs is refused: a multi-tenant app registration otherwise accepts any Entra tenant.
    /// </summary>
    public string? TenantId { get; set; }
}

/// <summary>How an upstream identity provider's claims are read (see the README, "Provider profiles").</summary>
public enum UpstreamProfile
{
    /// <summary>
    /// Keycloak, Authentik, Google-like: the stable identity is <c>sub</c>; <c>email</c> links an account only with
    /// <c>email_verified</c> true.
    /// </summary>
    Generic,

    /// <summary>
    /// Microsoft Entra ID: the stable identity is <c>oid</c> within <c>tid</c> (Entra's <c>sub</c> is pairwise per
    /// application), <c>tid</c> must be <see cref="ProviderIdentityOptions.TenantId"/>, and the mutable, unverified
    /// <c>email</c> claim never links (the "nOAuth" takeover): only <c>preferred_username</c> / <c>upn</c> in the
    /// tenant's domains does.
    /// </summary>
    Entra,
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
    /// <summary>
    /// <see cref="MailLoginMode.Master"/> (default): <c>user*master</c> with <see cref="MasterPassword"/>.
    /// <see cref="MailLoginMode.OAuth2ClientCredentials"/>: an app token from <see cref="OAuth2"/>, presented with
    /// XOAUTH2 as the user (hosted providers that take no passwords). Used by mailbox sync.
    /// </summary>
    public MailLoginMode Mode { get; set; } = MailLoginMode.Master;

    /// <summary>The provider's OAuth2 app registration, for <see cref="MailLoginMode.OAuth2ClientCredentials"/>.</summary>
    public MailOAuth2Options OAuth2 { get; set; } = new();

    /// <summary>Master user name (Dovecot <c>user*master</c>).</summary>
    public string? Master { get; set; }

    /// <summary>Secret; prefer an environment variable. Never logged, never shown by the admin API.</summary>
    public string? MasterPassword { get; set; }
}

/// <summary>How the gateway authenticates to a provider's mail backends.</summary>
public enum MailLoginMode
{
    /// <summary>A master user: <c>user*master</c> and the master password (Dovecot <c>auth_master_user_separator</c>).</summary>
    Master,

    /// <summary>An OAuth2 app token (client-credentials grant), presented with SASL XOAUTH2 as the user.</summary>
    OAuth2ClientCredentials,
}

/// <summary>A provider's OAuth2 app registration: the client-credentials grant at <see cref="TokenEndpoint"/>.</summary>
public sealed class MailOAuth2Options
{
    /// <summary>The token endpoint (<c>https://…/token</c>; <c>http://</c> only for loopback tests).</summary>
    public string? TokenEndpoint { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Secret; prefer an environment variable or <see cref="ClientSecretFile"/>. Never logged, never shown.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>File holding the client secret (read at each token request, so a rotated secret is picked up).</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>Scope to request (e.g. <c>https://outlook.office365.com/.default</c>); none when empty.</summary>
    public string? Scope { get; set; }
}
