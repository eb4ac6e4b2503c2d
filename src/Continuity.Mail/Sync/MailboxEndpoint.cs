namespace Continuity.Mail.Sync;

/// <summary>One side of a sync: a user's mailbox at one provider of a tenant, and how the gateway logs in there.</summary>
internal sealed record MailboxEndpoint(string Tenant, string Provider, string User, ImapEndpoint Imap, MailLoginOptions Login)
{
    /// <summary>For logs: provider and user, never the credentials.</summary>
    public override string ToString() => $"{Provider}:{User}";
}
