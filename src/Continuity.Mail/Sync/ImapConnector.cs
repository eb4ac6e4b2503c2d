using MailKit.Net.Imap;
using MailKit.Security;

namespace Continuity.Mail.Sync;

/// <summary>
/// Opens authenticated IMAP sessions to a provider's mailbox of one user: through the provider's master user
/// (<c>user*master</c>, Dovecot's <c>auth_master_user_separator</c>), or with an app token from
/// <see cref="AppTokenSource"/> presented with SASL XOAUTH2 as the user (<c>user=…\x01auth=Bearer …</c>); a refused
/// token is dropped and a fresh one tried once. Credentials come only from configuration and are never logged: no
/// protocol logger is attached, so not even the AUTHENTICATE line is written anywhere.
/// </summary>
internal sealed class ImapConnector(IOptions<ContinuityOptions> continuity, IOptions<MailboxSyncOptions> options, AppTokenSource tokens)
{
    /// <summary>Test seam: called when a session is logged in and when it is closed (counts open backend sessions).</summary>
    internal Action<MailboxEndpoint, int>? SessionsChanged { get; set; }

    public MailboxEndpoint Resolve(string tenant, string provider, string user)
    {
        var tenantOptions = continuity.Value.Tenants[tenant];
        var name = tenantOptions.FindProvider(provider) ?? throw new InvalidOperationException($"Tenant {tenant} has no provider {provider}");
        var mail = tenantOptions.Providers[name].Mail ?? throw new InvalidOperationException($"Provider {tenant}/{name} has no Mail section");
        if (!ImapEndpoint.TryParse(mail.Imap, out var imap))
        {
            throw new InvalidOperationException($"Provider {tenant}/{name} has no valid Mail:Imap URI");
        }

        return new MailboxEndpoint(tenant, name, user.ToLowerInvariant(), imap, mail.Login);
    }

    public async Task<ImapClient> ConnectAsync(MailboxEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var client = new CountedImapClient(endpoint, this) { Timeout = (int)options.Value.CommandTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(endpoint.Imap.Host, endpoint.Imap.Port, endpoint.Imap.Security, cancellationToken).ConfigureAwait(false);
            if (endpoint.Login.Mode == MailLoginMode.OAuth2ClientCredentials)
            {
                await AuthenticateWithAppTokenAsync(client, endpoint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.AuthenticateAsync($"{endpoint.User}*{endpoint.Login.Master}", endpoint.Login.MasterPassword ?? "", cancellationToken).ConfigureAwait(false);
            }

            client.Opened();
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task AuthenticateWithAppTokenAsync(ImapClient client, MailboxEndpoint endpoint, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(endpoint.Tenant, endpoint.Provider, endpoint.Login.OAuth2, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(endpoint.User, token), cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (AuthenticationException)
        {
            // Revoked or expired early: one more try with a fresh token.
            tokens.Invalidate(endpoint.Tenant, endpoint.Provider, token);
        }

        token = await tokens.GetAsync(endpoint.Tenant, endpoint.Provider, endpoint.Login.OAuth2, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(endpoint.User, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            tokens.Invalidate(endpoint.Tenant, endpoint.Provider, token);
            throw new AuthenticationException($"{endpoint.Provider} refused the XOAUTH2 login as {endpoint.User} with a fresh app token ({e.Message})", e);
        }
    }

    /// <summary>An ImapClient that tells <see cref="SessionsChanged"/> when it opens and when it goes.</summary>
    private sealed class CountedImapClient(MailboxEndpoint endpoint, ImapConnector owner) : ImapClient
    {
        private int _open;

        public void Opened()
        {
            if (Interlocked.Exchange(ref _open, 1) == 0)
            {
                owner.SessionsChanged?.Invoke(endpoint, +1);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _open, 0) == 1)
            {
                owner.SessionsChanged?.Invoke(endpoint, -1);
            }

            base.Dispose(disposing);
        }
    }
}
