namespace Continuity.Identity.Validation;

/// <summary>
/// What the gateway itself accepts as a bearer access token (its own tokens, validated against its own
/// server), bound from <c>Continuity:Identity:AccessTokens</c>. The scopes named here must also be listed
/// under <c>Continuity:Identity:Scopes</c> (scope → resources), which is what puts the audience into a token.
/// </summary>
public sealed class AccessTokenOptions
{
    public const string SectionName = "Continuity:Identity:AccessTokens";

    /// <summary>Scope a mail app asks for to use IMAP/submission with OAUTHBEARER or XOAUTH2. Default <c>mail</c>.</summary>
    public string MailScope { get; set; } = "mail";

    /// <summary>
    /// Audience a mail token must carry. Default <c>urn:continuity:mail</c>: one name for every tenant, because the
    /// issuer already says which tenant a token is for (a tenant's mail host would have to be kept in step with
    /// <c>Hosts:Mail</c> and with the scope's resources). Configure <c>Scopes:mail = [ "urn:continuity:mail" ]</c>.
    /// </summary>
    public string MailAudience { get; set; } = "urn:continuity:mail";

    /// <summary>
    /// Client ids whose tokens may be used for mail. Empty (the default): any client that may ask for
    /// <see cref="MailScope"/> (clients are configured, so the client list already limits who gets the scope).
    /// </summary>
    public List<string> MailClients { get; set; } = [];

    /// <summary>Scope that lets a token call the admin API (its subject must also be listed under the tenant's <c>Admins</c>). Default <c>continuity_admin</c>.</summary>
    public string AdminScope { get; set; } = "continuity_admin";
}
