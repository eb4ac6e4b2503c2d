using Continuity.Core.Configuration;
using Continuity.Mail.Configuration;

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

        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Limits:MaxMessageSize:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Limits:MaxSessions:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Limits:MaxConnectionsPerAddress:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Limits:IdleTimeoutBeforeMail:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Tls:CertificatePath:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Recipients:Tenants:nosuch:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Recipients:Tenants:demo:CatchAllAddress:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Delivery:MaxRetryDelay:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Delivery:DisabledMailboxPatterns:0:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Delivery:Relay:", StringComparison.Ordinal));
    }

    private static ContinuityOptions Continuity() => new()
    {
        Tenants = { ["demo"] = new TenantOptions { Domains = ["demo.test"], DefaultProvider = "primary" } },
    };
}
