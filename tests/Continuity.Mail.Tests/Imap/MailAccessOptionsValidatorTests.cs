using Continuity.Core.Configuration;
using Continuity.Mail.Proxy;

namespace Continuity.Mail.Tests.Imap;

public sealed class MailAccessOptionsValidatorTests
{
    [Fact]
    public void Check_Defaults_NoErrors() => Assert.Empty(MailAccessOptionsValidator.Check(new MailAccessOptions(), new ContinuityOptions()));

    [Fact]
    public void Check_ManyMistakes_EveryErrorWithItsPath()
    {
        var continuity = new ContinuityOptions { Listeners = { Imaps = 993 } };
        continuity.Tenants["demo"] = new TenantOptions
        {
            Providers =
            {
                ["primary"] = new ProviderOptions { Mail = new ProviderMailOptions { Imap = "http://imap.example", Submission = "ftp://x", Login = { MasterPassword = "a\r\nb" } } },
            },
        };
        var options = new MailAccessOptions { MaxCommandLine = 10, MaxLiteral = 0, LoginTimeout = TimeSpan.Zero, Tls = { KeyPath = "/nonexistent.key" } };

        var errors = MailAccessOptionsValidator.Check(options, continuity);

        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Access:MaxCommandLine:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Access:MaxLiteral:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Access:LoginTimeout:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Access:Tls:KeyPath:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Mail:Access:Tls:CertificatePath:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Tenants:demo:Providers:primary:Mail:Imap:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Tenants:demo:Providers:primary:Mail:Submission:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Tenants:demo:Providers:primary:Mail:Login:Master:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Continuity:Tenants:demo:Providers:primary:Mail:Login:MasterPassword:", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("a\r\nb", StringComparison.Ordinal));
    }
}
