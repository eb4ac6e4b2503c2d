using Continuity.Core.Tenants;
using Continuity.Mail.Sync;
using MailKit.Search;

namespace Continuity.Mail.Delivery;

/// <summary>
/// Closes the one window an MTA leaves open (the backend stored a copy, the 250 or the journal's <c>D</c> was lost):
/// before a recipient with an open attempt (journal <c>P</c>) is delivered again, the gateway logs in to that mailbox at
/// that provider as the mailbox sync does (<see cref="ImapConnector"/>: master user or app token) and searches the
/// INBOX, where the backend's LMTP/SMTP delivery puts it, for the message's <see cref="SpoolIdHeader"/>. Only the first
/// (topmost) such header of a match counts, which is the one this gateway wrote.
/// </summary>
internal sealed class DeliveredCopyFinder(ImapConnector connector, TenantDirectory tenants)
{
    /// <summary>True when the provider has an IMAP backend and a login the gateway can use to search its mailboxes.</summary>
    public static bool CanSearch(ProviderMailOptions? mail) =>
        mail is not null && ImapEndpoint.TryParse(mail.Imap, out _) && mail.Login.Mode switch
        {
            MailLoginMode.OAuth2ClientCredentials => !string.IsNullOrEmpty(mail.Login.OAuth2.TokenEndpoint) && !string.IsNullOrEmpty(mail.Login.OAuth2.ClientId),
            _ => !string.IsNullOrEmpty(mail.Login.Master) && !string.IsNullOrEmpty(mail.Login.MasterPassword),
        };

    public async Task<(CopySearchOutcome Outcome, string? Reason)> FindAsync(
        string? tenantId, string provider, string user, QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (tenantId is null || tenants.Find(tenantId) is not { } tenant || tenant.FindProvider(provider) is not { } name
            || !CanSearch(tenant.Providers[name]?.Mail))
        {
            return (CopySearchOutcome.CannotSearch, null);
        }

        try
        {
            using var client = await connector.ConnectAsync(connector.Resolve(tenantId, name, user), cancellationToken).ConfigureAwait(false);
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            // SINCE bounds the header scan to what arrived around the time the message was spooled (a day of slack for time zones).
            var query = SearchQuery.DeliveredAfter(message.Envelope.ReceivedAt.UtcDateTime.Date.AddDays(-2))
                .And(SearchQuery.HeaderContains(SpoolIdHeader.Name, message.Id));
            var uids = await inbox.SearchAsync(query, cancellationToken).ConfigureAwait(false);
            var found = false;
            if (uids.Count > 0)
            {
                var summaries = await inbox.FetchAsync(uids, new FetchRequest(MessageSummaryItems.UniqueId, [SpoolIdHeader.Name]), cancellationToken).ConfigureAwait(false);
                found = summaries.Any(s => string.Equals(s.Headers?[SpoolIdHeader.Name]?.Trim(), message.Id, StringComparison.Ordinal));
            }

            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            return (found ? CopySearchOutcome.Found : CopySearchOutcome.NotFound, null);
        }
        catch (Exception e) when (MailboxSynchronizer.IsTransient(e) || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (CopySearchOutcome.Unreachable, $"{e.GetType().Name}: {SpoolJournal.Clean(e.Message)}");
        }
    }
}
