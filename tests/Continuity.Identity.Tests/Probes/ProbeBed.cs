using System.Collections.Concurrent;
using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Core.Signals;
using Continuity.Identity.Configuration;
using Continuity.Identity.Probes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Identity.Tests.Probes;

/// <summary>An <see cref="UpstreamProbeService"/> for tenant <c>demo</c> on a fake clock, with the signals it raises recorded.</summary>
internal sealed class ProbeBed : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public ProbeBed(string primaryAuthority, string? sovereignAuthority = null)
    {
        var tenant = new TenantOptions { Domains = ["demo.test"], DefaultProvider = "primary" };
        tenant.Providers["primary"] = new ProviderOptions { Identity = new ProviderIdentityOptions { Authority = primaryAuthority, ClientId = "continuity" } };
        if (sovereignAuthority is not null)
        {
            tenant.Providers["sovereign"] = new ProviderOptions { Identity = new ProviderIdentityOptions { Authority = sovereignAuthority, ClientId = "continuity" } };
        }

        var continuity = new ContinuityOptions();
        continuity.Tenants["demo"] = tenant;
        Registry = new BackendHealthRegistry(Time);
        Service = new UpstreamProbeService(Options.Create(continuity), Options.Create(new IdentityOptions { Probes = Probes }), new Clients(_http),
            new BackendProbeServiceDependencies(Registry, Signals, Time, NullLoggerFactory.Instance));
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public UpstreamProbeOptions Probes { get; } = new();

    public BackendHealthRegistry Registry { get; }

    public RecordingSignals Signals { get; } = new();

    public UpstreamProbeService Service { get; }

    public Task RoundAsync() => Service.ProbeOnceAsync(CancellationToken.None);

    public BackendProbeResult Result(string provider) => Assert.Single(Registry.All, r => r.Provider == provider);

    public void Dispose()
    {
        Service.Dispose();
        _http.Dispose();
    }

    private sealed class Clients(HttpClient http) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => http;
    }
}

/// <summary>Records signals instead of acting on them (the policy is Core's, tested there).</summary>
internal sealed class RecordingSignals : ICutoffSignals
{
    public ConcurrentQueue<CutoffSignal> Raised { get; } = new();

    public Task<CutoffSignalOutcome> RaiseAsync(CutoffSignal signal, CancellationToken cancellationToken = default)
    {
        Raised.Enqueue(signal);
        return Task.FromResult(CutoffSignalOutcome.Suggested);
    }
}
