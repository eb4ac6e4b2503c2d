using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Mail.Configuration;
using Continuity.Mail.Probes;
using Continuity.Mail.Smtp;
using Continuity.Mail.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Mail.Tests.Probes;

/// <summary>
/// An <see cref="InboundProbeService"/> for tenant <c>demo</c> (providers <c>primary</c> and <c>sovereign</c>) on fake
/// time, with the real <see cref="BackendHealthRegistry"/> and a recording <c>ICutoffSignals</c>.
/// </summary>
internal sealed class ProbeBed : IDisposable
{
    public ProbeBed(string primaryInbound, string? sovereignInbound = null, ProbeOptions? probes = null)
    {
        Probes = probes ?? new ProbeOptions();
        Registry = new BackendHealthRegistry(Time);
        var tenant = new TenantOptions { Domains = ["demo.test"], DefaultProvider = "primary", SovereignProvider = "sovereign" };
        tenant.Providers["primary"] = new ProviderOptions { Mail = new ProviderMailOptions { Inbound = primaryInbound } };
        tenant.Providers["sovereign"] = new ProviderOptions { Mail = new ProviderMailOptions { Inbound = sovereignInbound } };
        var continuity = new ContinuityOptions { Tenants = { ["demo"] = tenant } };
        var mail = Options.Create(new MailOptions { ServerName = "mx.demo.test", Probes = Probes });
        Service = new InboundProbeService(
            Options.Create(continuity), mail, Registry, Signals, new MxIdentity(mail), Time, NullLogger<InboundProbeService>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2025-06-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public ProbeOptions Probes { get; }

    public BackendHealthRegistry Registry { get; }

    public RecordingCutoffSignals Signals { get; } = new();

    public InboundProbeService Service { get; }

    public BackendProbeResult Result(string provider) =>
        Assert.Single(Registry.All, r => r.Provider == provider && r.Kind == InboundProbeService.Kind);

    /// <summary>One round, bounded by a real deadline so a hanging probe fails the test instead of blocking it.</summary>
    public Task RoundAsync() => Service.ProbeOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

    public void Dispose() => Service.Dispose();
}
