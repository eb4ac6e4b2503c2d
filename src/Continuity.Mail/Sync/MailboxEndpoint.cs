namespace Continuity.Mail.Sync;

/// <summary>One side of a sync: a user's mailbox at one provider of a tenant.</summary>
internal sealed record MailboxEndpoint(string Tenant, string Provider, string User, ImapEndpoint Imap, string Master, string MasterPassword)
{
    /// <summary>For logs: provider and user, never the credentials.</summary>
    public override string ToString() => $"{Provider}:{User}";
}
