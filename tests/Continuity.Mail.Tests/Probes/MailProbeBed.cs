using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Mail.Configuration;
using Continuity.Mail.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Mail.Tests.Probes;

/// <summary>
/// What the mail probe beds share: tenant <c>demo</c> (providers <c>primary</c> and <c>sovereign</c>), fake time, the
/// real <see cref="BackendHealthRegistry"/>, a recording <c>ICutoffSignals</c>, and one probe round at a time.
/// </summary>
internal abstract class MailProbeBed : IDisposable
{
    protected MailProbeBed(ProbeOptions? probes)
    {
        Probes = probes ?? new ProbeOptions();
        Registry = new BackendHealthRegistry(Time);
        Dependencies = new BackendProbeServiceDependencies(Registry, Signals, Time, NullLoggerFactory.Instance);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2025-06-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public ProbeOptions Probes { get; }

    public BackendHealthRegistry Registry { get; }

    public RecordingCutoffSignals Signals { get; } = new();

    /// <summary>The registry, signals and clock above, logging nowhere.</summary>
    protected BackendProbeServiceDependencies Dependencies { get; }

    /// <summary>One round, bounded by a real deadline so a hanging probe fails the test instead of blocking it.</summary>
    public Task RoundAsync() => ProbeOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

    public abstract void Dispose();

    protected abstract Task ProbeOnceAsync(CancellationToken cancellationToken);

    /// <summary>Tenant <c>demo</c> (demo.test, default <c>primary</c>, sovereign <c>sovereign</c>) with these two providers.</summary>
    protected static IOptions<ContinuityOptions> Demo(ProviderOptions primary, ProviderOptions sovereign)
    {
        var tenant = new TenantOptions { Domains = ["demo.test"], DefaultProvider = "primary", SovereignProvider = "sovereign" };
        tenant.Providers["primary"] = primary;
        tenant.Providers["sovereign"] = sovereign;
        return Options.Create(new ContinuityOptions { Tenants = { ["demo"] = tenant } });
    }
}
