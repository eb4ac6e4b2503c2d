using Continuity.Core.Configuration;
using Continuity.Mail.Proxy;

namespace Continuity.Mail.Tests.Imap;

/// <summary>The access validator and a provider's <c>Mail:Login:Mode</c>: an OAuth2-only provider starts, an incomplete one is reported with paths.</summary>
public sealed class MailAccessLoginModeValidatorTests
{
    private const string Login = "Continuity:Tenants:demo:Providers:primary:Mail:Login";

    [Fact]
    public void Check_OAuth2OnlyProviderWithProxyEnabled_NoErrors()
    {
        var continuity = Continuity(new MailLoginOptions
        {
            Mode = MailLoginMode.OAuth2ClientCredentials,
            OAuth2 = { TokenEndpoint = "https://login.example/tenant/oauth2/v2.0/token", ClientId = "app", ClientSecret = "s", Scope = "https://outlook.office365.com/.default" },
        });

        Assert.Empty(MailAccessOptionsValidator.Check(new MailAccessOptions(), continuity));
    }

    [Fact]
    public void Check_OAuth2ModeIncomplete_EachMissingPieceWithItsPathAndNoMasterErrors()
    {
        var continuity = Continuity(new MailLoginOptions
        {
            Mode = MailLoginMode.OAuth2ClientCredentials,
            OAuth2 = { TokenEndpoint = "http://login.example/token", ClientSecret = "s1", ClientSecretFile = "/run/secret" },
        });

        var errors = MailAccessOptionsValidator.Check(new MailAccessOptions(), continuity);

        Assert.Contains(errors, e => e.StartsWith($"{Login}:OAuth2:TokenEndpoint: ", StringComparison.Ordinal) && e.Contains("https://", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{Login}:OAuth2:ClientId: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{Login}:OAuth2:ClientSecret: ", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains(":Login:Master", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("s1", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_MasterModeWithoutPassword_ReportsMasterPassword()
    {
        var errors = MailAccessOptionsValidator.Check(new MailAccessOptions(), Continuity(new MailLoginOptions { Master = "gateway" }));

        Assert.Equal([$"{Login}:MasterPassword: is required for logging users in to the provider's mailboxes (prefer an environment variable)"], errors);
    }

    [Fact]
    public void Check_UnknownMode_ReportedWithItsPath()
    {
        var errors = MailAccessOptionsValidator.Check(new MailAccessOptions(), Continuity(new MailLoginOptions { Mode = (MailLoginMode)7 }));

        Assert.Contains(errors, e => e.StartsWith($"{Login}:Mode: ", StringComparison.Ordinal));
    }

    private static ContinuityOptions Continuity(MailLoginOptions login)
    {
        var continuity = new ContinuityOptions();
        continuity.Tenants["demo"] = new TenantOptions
        {
            Providers = { ["primary"] = new ProviderOptions { Mail = new ProviderMailOptions { Imap = "imaps://imap.example", Submission = "smtps://smtp.example", Login = login } } },
        };
        return continuity;
    }
}
