namespace Continuity.Mail.Proxy;

/// <summary>Who a successful mail login is: the tenant, the lower-case address, and the provider that serves it now.</summary>
internal sealed record MailAccount(string Tenant, string User, string Provider);
