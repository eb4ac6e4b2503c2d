namespace Continuity.Mail.Delivery;

/// <summary>
/// What the MX promises for one provider's inbound backend, as <c>/health/status</c> shows it: <c>exactly-once</c> when
/// the gateway can search that provider's mailboxes over IMAP (<c>Mail:Imap</c> and a <c>Mail:Login</c>: master user or
/// app token), so a delivery cut short by a crash is checked before it is repeated (<see cref="DeliveredCopyFinder"/>);
/// <c>at-least-once</c> otherwise: such a delivery is repeated and the recipient may get a second copy.
/// </summary>
internal sealed record DeliveryGuarantee(string Tenant, string Provider, string Guarantee, string Why)
{
    public static IEnumerable<DeliveryGuarantee> For(string tenant, TenantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, provider) in options.Providers)
        {
            if (provider?.Mail?.Inbound is null)
            {
                continue;
            }

            yield return DeliveredCopyFinder.CanSearch(provider.Mail)
                ? new(tenant, name, "exactly-once", "a delivery cut short by a crash is looked up over IMAP before it is repeated")
                : new(tenant, name, "at-least-once", "no Mail:Imap with a Mail:Login configured: a delivery cut short by a crash is repeated and may arrive twice");
        }
    }
}
