using Continuity.Core.Configuration;
using Continuity.Mail.Sync;

namespace Continuity.Mail.Tests.Sync;

public sealed class MailboxSyncOptionsValidatorTests
{
    [Fact]
    public void Check_EverythingWrong_ReportsEveryErrorWithItsPath()
    {
        var continuity = new ContinuityOptions();
        continuity.Tenants["demo"] = new TenantOptions
        {
            DefaultProvider = "primary",
            Providers =
            {
                ["primary"] = new ProviderOptions { Mail = new ProviderMailOptions { Imap = "http://x" } },
                ["sovereign"] = new ProviderOptions(),
            },
        };
        var options = new MailboxSyncOptions
        {
            PollInterval = TimeSpan.Zero,
            MaxParallelUsers = 0,
            BatchSize = 0,
            AppendBatchBytes = 10,
            LeaseDuration = TimeSpan.FromSeconds(1),
            ExcludedFolders = [" "],
            Tenants = { ["demo"] = new MailboxSyncTenantOptions(), ["ghost"] = new MailboxSyncTenantOptions() },
        };

        var errors = MailboxSyncOptionsValidator.Check(options, continuity);

        string[] paths =
        [
            "Continuity:Mail:Sync:PollInterval", "Continuity:Mail:Sync:MaxParallelUsers", "Continuity:Mail:Sync:BatchSize",
            "Continuity:Mail:Sync:AppendBatchBytes", "Continuity:Mail:Sync:LeaseDuration", "Continuity:Mail:Sync:ExcludedFolders:0",
            "Continuity:Mail:Sync:Tenants:ghost", "Continuity:Tenants:demo:Providers:primary:Mail:Imap",
            "Continuity:Tenants:demo:Providers:primary:Mail:Login:Master", "Continuity:Tenants:demo:Providers:primary:Mail:Login:MasterPassword",
            "Continuity:Tenants:demo:Providers:sovereign:Mail",
        ];
        foreach (var path in paths)
        {
            Assert.Contains(errors, e => e.StartsWith(path + ":", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(errors, e => e.Contains("MasterPassword", StringComparison.Ordinal) && e.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_OAuth2ModeWithoutEndpointClientOrSecret_ReportsEachPathAndNoMasterErrors()
    {
        var continuity = new ContinuityOptions();
        var oauth = new MailLoginOptions { Mode = MailLoginMode.OAuth2ClientCredentials, OAuth2 = { TokenEndpoint = "http://idp.example.org/token", ClientSecret = "s3cret", ClientSecretFile = "/run/secret" } };
        var plain = new MailLoginOptions { Mode = MailLoginMode.OAuth2ClientCredentials, OAuth2 = { TokenEndpoint = "https://idp.example.org/token", ClientId = "sync", ClientSecretFile = "/run/secret" } };
        continuity.Tenants["demo"] = new TenantOptions
        {
            DefaultProvider = "primary",
            SovereignProvider = "sovereign",
            Providers =
            {
                ["primary"] = new ProviderOptions { Mail = new ProviderMailOptions { Imap = "imaps://imap.example.org", Login = oauth } },
                ["sovereign"] = new ProviderOptions { Mail = new ProviderMailOptions { Imap = "imap://127.0.0.1:143", Login = plain } },
            },
        };
        var options = new MailboxSyncOptions { Tenants = { ["demo"] = new MailboxSyncTenantOptions { Enabled = true } } };

        var errors = MailboxSyncOptionsValidator.Check(options, continuity);

        const string Login = "Continuity:Tenants:demo:Providers:primary:Mail:Login";
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith($"{Login}:OAuth2:TokenEndpoint: ", StringComparison.Ordinal)); // http:// off loopback
        Assert.Contains(errors, e => e.StartsWith($"{Login}:OAuth2:ClientId: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{Login}:OAuth2:ClientSecret: ", StringComparison.Ordinal)); // both secret and file
        Assert.DoesNotContain(errors, e => e.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_Defaults_NoErrors() =>
        Assert.Empty(MailboxSyncOptionsValidator.Check(new MailboxSyncOptions(), new ContinuityOptions()));
}
