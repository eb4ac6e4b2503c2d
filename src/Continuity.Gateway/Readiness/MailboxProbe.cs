using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace Continuity.Gateway.Readiness;

/// <summary>
/// A user's mailbox at one provider as the gateway reaches it, through the mailbox sync's IMAP connector (master user
/// or app token, whichever the provider's <c>Mail:Login</c> says): can the gateway log in, and what does INBOX hold.
/// Every failure becomes one message that names the side, the login and the cause; credentials never appear.
/// </summary>
internal sealed class MailboxProbe(ImapConnector connector)
{
    /// <summary>Logs in as the user at <paramref name="provider"/> and reads INBOX's status.</summary>
    public async Task<ReadinessCheck> CheckLoginAsync(string tenant, string provider, string user, CancellationToken cancellationToken)
    {
        var (result, _) = await RunAsync(tenant, provider, user, async imap =>
        {
            await imap.Inbox.StatusAsync(StatusItems.Count, cancellationToken).ConfigureAwait(false);
            return imap.Inbox.Count;
        }, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>How many messages in the user's INBOX carry <paramref name="messageId"/> (null and a message: the login failed).</summary>
    public async Task<(int? Count, string Message)> CountAsync(string tenant, string provider, string user, string messageId, CancellationToken cancellationToken)
    {
        var (check, count) = await RunAsync(tenant, provider, user, async imap =>
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            return (await imap.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken).ConfigureAwait(false)).Count;
        }, cancellationToken).ConfigureAwait(false);
        return (check.Status == CheckStatus.Pass ? count : null, check.Message);
    }

    /// <summary>Deletes (and expunges) every INBOX message carrying <paramref name="messageId"/>; returns how many.</summary>
    public async Task<(int? Removed, string Message)> RemoveAsync(string tenant, string provider, string user, string messageId, CancellationToken cancellationToken)
    {
        var (check, removed) = await RunAsync(tenant, provider, user, async imap =>
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
            var uids = await imap.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken).ConfigureAwait(false);
            if (uids.Count > 0)
            {
                await imap.Inbox.AddFlagsAsync(uids, MessageFlags.Deleted, silent: true, cancellationToken).ConfigureAwait(false);
                await imap.Inbox.ExpungeAsync(uids, cancellationToken).ConfigureAwait(false);
            }

            return uids.Count;
        }, cancellationToken).ConfigureAwait(false);
        return (check.Status == CheckStatus.Pass ? removed : null, check.Message);
    }

    /// <summary>Message-IDs present more than once in the user's INBOX (null: the login failed, see the message).</summary>
    public async Task<(IReadOnlyList<string>? Duplicates, int Messages, string Message)> DuplicatesAsync(string tenant, string provider, string user, CancellationToken cancellationToken)
    {
        var total = 0;
        var (check, duplicates) = await RunAsync<IReadOnlyList<string>>(tenant, provider, user, async imap =>
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            total = imap.Inbox.Count;
            if (total == 0)
            {
                return [];
            }

            var summaries = await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope, cancellationToken).ConfigureAwait(false);
            return [.. summaries.Select(s => s.Envelope?.MessageId).OfType<string>().GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
        }, cancellationToken).ConfigureAwait(false);
        return (check.Status == CheckStatus.Pass ? duplicates : null, total, check.Message);
    }

    private async Task<(ReadinessCheck Check, T Value)> RunAsync<T>(string tenant, string provider, string user, Func<ImapClient, Task<T>> action, CancellationToken cancellationToken)
    {
        MailboxEndpoint endpoint;
        try
        {
            endpoint = connector.Resolve(tenant, provider, user);
        }
        catch (InvalidOperationException ex)
        {
            return (new(ReadinessRules.Mailbox, CheckStatus.Fail, $"{provider} mailbox: not configured ({ex.Message})"), default!);
        }

        var login = endpoint.Login.Mode == MailLoginMode.OAuth2ClientCredentials ? "with an app token (XOAUTH2)" : "as master user";
        var where = $"{provider} mailbox of {endpoint.User} at {endpoint.Imap.Host}:{endpoint.Imap.Port}";
        var stage = "connect";
        try
        {
            using var imap = await connector.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            stage = "read INBOX";
            var value = await action(imap).ConfigureAwait(false);
            var count = value is int n ? $"; INBOX holds {n} message(s)" : "";
            await imap.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            return (new(ReadinessRules.Mailbox, CheckStatus.Pass, $"{where}: IMAP login {login} ok{count}"), value);
        }
        catch (AuthenticationException ex)
        {
            return (new(ReadinessRules.Mailbox, CheckStatus.Fail, $"{where}: IMAP login {login} refused (AUTHENTICATIONFAILED: {ex.Message})"), default!);
        }
        catch (SocketException ex)
        {
            return (new(ReadinessRules.Mailbox, CheckStatus.Fail, $"{where}: cannot connect ({ex.SocketErrorCode})"), default!);
        }
        catch (ImapCommandException ex)
        {
            return (new(ReadinessRules.Mailbox, CheckStatus.Fail, $"{where}: {stage} refused ({ex.Response}: {ex.ResponseText})"), default!);
        }
        catch (Exception ex) when (ex is ImapProtocolException or IOException or SslHandshakeException or FolderNotFoundException or ServiceNotAuthenticatedException or HttpRequestException)
        {
            return (new(ReadinessRules.Mailbox, CheckStatus.Fail, $"{where}: {stage} failed ({ex.GetType().Name}: {ex.Message})"), default!);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new(ReadinessRules.Mailbox, CheckStatus.Fail, $"{where}: {stage} timed out"), default!);
        }
        catch (TimeoutException)
        {
            return (new(ReadinessRules.Mailbox, CheckStatus.Fail, $"{where}: {stage} timed out"), default!);
        }
    }
}
