using Continuity.Core.Configuration;
using Continuity.Mail.Proxy;
using Continuity.Testing;

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

        ConfigErrors.AssertEachPath(
            errors,
            "Continuity:Mail:Access:MaxCommandLine:",
            "Continuity:Mail:Access:MaxLiteral:",
            "Continuity:Mail:Access:LoginTimeout:",
            "Continuity:Mail:Access:Tls:KeyPath:",
            "Continuity:Mail:Access:Tls:CertificatePath:",
            "Continuity:Tenants:demo:Providers:primary:Mail:Imap:",
            "Continuity:Tenants:demo:Providers:primary:Mail:Submission:",
            "Continuity:Tenants:demo:Providers:primary:Mail:Login:Master:",
            "Continuity:Tenants:demo:Providers:primary:Mail:Login:MasterPassword:");
        Assert.DoesNotContain(errors, e => e.Contains("a\r\nb", StringComparison.Ordinal));
    }
}
