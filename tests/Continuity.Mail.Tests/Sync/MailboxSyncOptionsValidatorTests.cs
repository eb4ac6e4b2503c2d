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
    public void Check_Defaults_NoErrors() =>
        Assert.Empty(MailboxSyncOptionsValidator.Check(new MailboxSyncOptions(), new ContinuityOptions()));
}
