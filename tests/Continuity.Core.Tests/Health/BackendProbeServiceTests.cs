using System.Collections.Concurrent;
using Continuity.Core.Health;
using Continuity.Core.Signals;
using Continuity.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Core.Tests.Health;

[Trait("Category", "Server")]
public sealed class BackendProbeServiceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ExecuteAsync_RoundThrows_FailureLoggedAndNextRoundRuns()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var registry = new BackendHealthRegistry(time);
        using var logs = new RecentProblems();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        using var prober = new Prober(new(registry, new Signals(), time, loggers), [new("demo", "primary", "127.0.0.1:25")])
        {
            Failures = 1,
        };

        await prober.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => logs.Describe().Contains("probe round (test-probe) failed", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the failed round is logged");
        time.Advance(Interval);
        await Eventually.TrueAsync(() => registry.All.Count == 1, TimeSpan.FromSeconds(10), "the next round reports the backend");
        await prober.StopAsync(CancellationToken.None);

        Assert.Contains("injected probe failure", logs.Describe(), StringComparison.Ordinal);
        Assert.False(Assert.Single(registry.All).Up);
    }

    [Fact]
    public async Task ProbeOnceAsync_SharedBackendDownLongEnough_ProbedOnceAndOneSignalPerProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var registry = new BackendHealthRegistry(time);
        var signals = new Signals();
        using var prober = new Prober(new(registry, signals, time, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance),
            [new("demo", "primary", "127.0.0.1:25"), new("demo", "sovereign", "127.0.0.1:25")]);

        await prober.ProbeOnceAsync(CancellationToken.None);
        time.Advance(Prober.DownAfterValue);
        await prober.ProbeOnceAsync(CancellationToken.None);
        await prober.ProbeOnceAsync(CancellationToken.None);

        Assert.Equal(3, prober.Probes);
        Assert.Equal(["primary", "sovereign"], signals.Raised.Select(s => s.Provider).Order(StringComparer.Ordinal));
        Assert.All(signals.Raised, s => Assert.Equal(("test-probe", "test backend 127.0.0.1:25 down since 2026-12-06T09:00:00.0000000+00:00: refused"), (s.Source, s.Evidence)));
    }

    private sealed record Backend(string Tenant, string Provider, string Target) : IProbeTarget
    {
        public string Kind => "test";

        public string Description => $"test backend {Target}";
    }

    private sealed class Prober(BackendProbeServiceDependencies dependencies, IReadOnlyList<Backend> targets)
        : BackendProbeService<Backend, string>(targets, new Schedule(), "test-probe", dependencies)
    {
        public static readonly TimeSpan DownAfterValue = TimeSpan.FromMinutes(2);
        private int _probes;

        public int Failures { get; init; }

        public int Probes => _probes;

        protected override string BackendOf(Backend target) => target.Target;

        protected override Task<ProbeOutcome> ProbeAsync(Backend target, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _probes) <= Failures
                ? throw new InvalidOperationException("injected probe failure")
                : Task.FromResult(new ProbeOutcome(false, "refused"));
    }

    private sealed class Schedule : IProbeSchedule
    {
        public TimeSpan Interval => BackendProbeServiceTests.Interval;

        public TimeSpan Timeout => TimeSpan.FromSeconds(1);

        public TimeSpan DownAfter => Prober.DownAfterValue;
    }

    private sealed class Signals : ICutoffSignals
    {
        public ConcurrentQueue<CutoffSignal> Raised { get; } = new();

        public Task<CutoffSignalOutcome> RaiseAsync(CutoffSignal signal, CancellationToken cancellationToken = default)
        {
            Raised.Enqueue(signal);
            return Task.FromResult(CutoffSignalOutcome.Suggested);
        }
    }
}
