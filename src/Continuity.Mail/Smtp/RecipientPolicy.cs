using Continuity.Core.Tenants;

namespace Continuity.Mail.Smtp;

/// <summary>
/// Decides RCPT TO. Only addresses in a tenant's domains are accepted; every other domain gets
/// 550 5.7.1, so the MX is never an open relay. Unknown users follow the tenant's policy
/// (<see cref="UnknownUserPolicy"/>). Pure: the same address always gets the same answer for one configuration.
/// </summary>
internal sealed class RecipientPolicy(TenantDirectory tenants, IOptions<MailOptions> options)
{
    public RecipientDecision Decide(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.Length > MxMailboxFilter.MaxAddressLength || at > MxMailboxFilter.MaxLocalPartLength)
        {
            return RecipientDecision.Reject(501, "5.1.3 Bad recipient address syntax");
        }

        var tenantId = tenants.FindByAddress(address);
        var tenant = tenantId is null ? null : tenants.Find(tenantId);
        if (tenantId is null || tenant is null)
        {
            return RecipientDecision.Reject(550, "5.7.1 Relaying denied: not a domain this server accepts mail for");
        }

        if (tenant.Users.Count == 0 || tenant.Users.Exists(u => string.Equals(u, address, StringComparison.OrdinalIgnoreCase)))
        {
            return RecipientDecision.Accept(new SpoolRecipient(address, address, tenantId));
        }

        var recipients = options.Value.Recipients;
        var own = recipients.Tenants.TryGetValue(tenantId, out var o) ? o : null;
        return (own?.UnknownUsers ?? recipients.UnknownUsers) switch
        {
            UnknownUserPolicy.Accept => RecipientDecision.Accept(new SpoolRecipient(address, address, tenantId)),
            UnknownUserPolicy.CatchAll when own?.CatchAllAddress is { } catchAll =>
                RecipientDecision.Accept(new SpoolRecipient(address, catchAll, tenantId)),
            _ => RecipientDecision.Reject(550, "5.1.1 No such user here"),
        };
    }
}
