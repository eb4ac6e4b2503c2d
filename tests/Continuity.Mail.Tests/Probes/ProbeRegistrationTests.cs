using System.Globalization;
using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Mail.Configuration;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Mail.Tests.Probes;

/// <summary>The probes as <c>AddContinuityMail</c> registers them, and their options' validation.</summary>
[Trait("Category", "Server")]
public sealed class ProbeRegistrationTests
{
    [Fact]
    public async Task AddContinuityMail_ProbesEveryProvidersInbound_IntoTheHealthRegistry()
    {
        using var dovecot = DovecotServer.Start("probe-host", "alice@demo.test");
        var closed = $"smtp://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        await using var host = await MailHost.StartAsync(Mailer.Providers(dovecot.LmtpUri, closed), new FakeTimeProvider());
        var registry = host.Get<BackendHealthRegistry>();

        await Eventually.TrueAsync(() => registry.All.Count == 2, TimeSpan.FromSeconds(10), "both providers probed at start");

        Assert.Equal([("primary", true), ("sovereign", false)], registry.All.Select(r => (r.Provider, r.Up)));
    }

    [Fact]
    public void Check_BadProbeOptions_ReportsEachWithItsPath()
    {
        var options = new MailOptions { Probes = { Interval = TimeSpan.Zero, Timeout = TimeSpan.FromMinutes(10), DownAfter = TimeSpan.FromSeconds(-1) } };

        var errors = MailOptionsValidator.Check(options, new ContinuityOptions());

        ConfigErrors.AssertEachPath(
            errors,
            "Continuity:Mail:Probes:Interval:",
            "Continuity:Mail:Probes:Timeout: must be between",
            "Continuity:Mail:Probes:Timeout: must not be longer than Probes:Interval",
            "Continuity:Mail:Probes:DownAfter:");
        Assert.Empty(MailOptionsValidator.Check(new MailOptions(), new ContinuityOptions()));
    }
}
