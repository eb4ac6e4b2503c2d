using Continuity.Core.Configuration;
using MailKit.Net.Imap;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Sync;

/// <summary>
/// Opens authenticated IMAP sessions to a provider's mailbox of one user, through the provider's master user
/// (<c>user*master</c>, Dovecot's <c>auth_master_user_separator</c>). Credentials come only from configuration and
/// are never logged: no protocol logger is attached, so not even the AUTHENTICATE line is written anywhere.
/// </summary>
internal sealed class ImapConnector(IOptions<ContinuityOptions> continuity, IOptions<MailboxSyncOptions> options)
{
    public MailboxEndpoint Resolve(string tenant, string provider, string user)
    {
        var tenantOptions = continuity.Value.Tenants[tenant];
        var name = tenantOptions.FindProvider(provider) ?? throw new InvalidOperationException($"Tenant {tenant} has no provider {provider}");
        var mail = tenantOptions.Providers[name].Mail ?? throw new InvalidOperationException($"Provider {tenant}/{name} has no Mail section");
        if (!ImapEndpoint.TryParse(mail.Imap, out var imap))
        {
            throw new InvalidOperationException($"Provider {tenant}/{name} has no valid Mail:Imap URI");
        }

        return new MailboxEndpoint(tenant, name, user.ToLowerInvariant(), imap, mail.Login.Master ?? "", mail.Login.MasterPassword ?? "");
    }

    public async Task<ImapClient> ConnectAsync(MailboxEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var client = new ImapClient { Timeout = (int)options.Value.CommandTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(endpoint.Imap.Host, endpoint.Imap.Port, endpoint.Imap.Security, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync($"{endpoint.User}*{endpoint.Master}", endpoint.MasterPassword, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
