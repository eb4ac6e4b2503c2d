using Continuity.Core.Configuration;
using Continuity.Mail.Delivery;

namespace Continuity.Mail.Tests.Delivery;

/// <summary>What <c>/health/status</c> says each inbound backend promises (issue 19).</summary>
public sealed class DeliveryGuaranteeTests
{
    [Fact]
    public void For_ProvidersWithAndWithoutAnImapLogin_ExactlyOnceOnlyWhereTheGatewayCanSearch()
    {
        var tenant = new TenantOptions
        {
            DefaultProvider = "primary",
            Providers = new(StringComparer.OrdinalIgnoreCase)
            {
                ["primary"] = new() { Mail = new() { Inbound = "lmtp://127.0.0.1:24", Imap = "imap://127.0.0.1:143", Login = new() { Master = "gateway", MasterPassword = "s" } } },
                ["hosted"] = new() { Mail = new() { Inbound = "smtp://127.0.0.1:25", Imap = "imaps://127.0.0.1:993", Login = new() { Mode = MailLoginMode.OAuth2ClientCredentials, OAuth2 = new() { TokenEndpoint = "http://127.0.0.1:1/token", ClientId = "c" } } } },
                ["sovereign"] = new() { Mail = new() { Inbound = "lmtp://127.0.0.1:26", Imap = "imap://127.0.0.1:144" } }, // no master password
                ["relay-only"] = new() { Mail = new() { Inbound = "smtp://127.0.0.1:27" } },
                ["web-only"] = new(),
            },
        };

        var guarantees = DeliveryGuarantee.For("demo", tenant).ToDictionary(g => g.Provider, g => g.Guarantee);

        Assert.Equal(
            new Dictionary<string, string> { ["primary"] = "exactly-once", ["hosted"] = "exactly-once", ["sovereign"] = "at-least-once", ["relay-only"] = "at-least-once" },
            guarantees);
    }
}
