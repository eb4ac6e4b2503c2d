using Continuity.Core.Configuration;
using Continuity.Mail.Configuration;
using Continuity.Testing;

namespace Continuity.Mail.Tests;

public sealed class MailOptionsValidatorTests
{
    [Fact]
    public void Check_Defaults_AreValid() =>
        Assert.Empty(MailOptionsValidator.Check(new MailOptions(), Continuity()));

    [Fact]
    public void Check_ManyErrors_ReportsEveryOneWithItsPath()
    {
        var options = new MailOptions
        {
            Limits = { MaxMessageSize = 10, MaxSessions = 0, MaxConnectionsPerAddress = -1, IdleTimeoutBeforeMail = TimeSpan.Zero },
            Tls = { CertificatePath = "/nonexistent/cert.pem" },
            Recipients = { Tenants = { ["nosuch"] = new TenantRecipientPolicyOptions(), ["demo"] = new TenantRecipientPolicyOptions { UnknownUsers = UnknownUserPolicy.CatchAll } } },
            Delivery = { FirstRetryDelay = TimeSpan.FromHours(2), MaxRetryDelay = TimeSpan.FromHours(1), DisabledMailboxPatterns = ["("], Relay = "http://x" },
        };

        var errors = MailOptionsValidator.Check(options, Continuity());

        ConfigErrors.AssertEachPath(
            errors,
            "Continuity:Mail:Limits:MaxMessageSize:",
            "Continuity:Mail:Limits:MaxSessions:",
            "Continuity:Mail:Limits:MaxConnectionsPerAddress:",
            "Continuity:Mail:Limits:IdleTimeoutBeforeMail:",
            "Continuity:Mail:Tls:CertificatePath:",
            "Continuity:Mail:Recipients:Tenants:nosuch:",
            "Continuity:Mail:Recipients:Tenants:demo:CatchAllAddress:",
            "Continuity:Mail:Delivery:MaxRetryDelay:",
            "Continuity:Mail:Delivery:DisabledMailboxPatterns:0:",
            "Continuity:Mail:Delivery:Relay:");
    }

    private static ContinuityOptions Continuity() => new()
    {
        Tenants = { ["demo"] = new TenantOptions { Domains = ["demo.test"], DefaultProvider = "primary" } },
    };
}
