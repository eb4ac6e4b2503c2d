using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Continuity.Core.Routing;
using Perfolizer.Horology;

namespace Continuity.Benchmarks;

/// <summary>
/// The cost of one route lookup, <see cref="RouteTable.Resolve"/>, on a snapshot of one tenant with
/// 10 000 user overrides; the peer is a plain <see cref="Dictionary{TKey,TValue}.TryGetValue"/> on
/// the same 10 000 entries with the same default fallback. Half the lookups hit an override, half
/// fall back to the tenant default (most users of a tenant have no override).
/// </summary>
public class RouteLookupBenchmarks
{
    public const int Users = 10_000;
    public const int Lookups = 1024;

    private RouteTable _table = null!;
    private Dictionary<string, string> _plain = null!;
    private string[] _addresses = null!;

    [GlobalSetup]
    public void Setup()
    {
        var overrides = Enumerable.Range(0, Users).ToDictionary(i => $"user{i:00000}@demo.test", i => i % 2 == 0 ? "sovereign" : "primary");
        _table = new RouteTable();
        _table.TrySwap(new RouteSnapshot(1, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes>
        {
            ["demo"] = new TenantRoutes("primary", overrides),
            ["other"] = new TenantRoutes("primary", new Dictionary<string, string>()),
        }));
        _plain = new Dictionary<string, string>(overrides);
        var random = new Random(42);
        _addresses = Enumerable.Range(0, Lookups)
            .Select(i => i % 2 == 0 ? $"user{random.Next(Users):00000}@demo.test" : $"nobody{random.Next(Users):00000}@demo.test")
            .ToArray();
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int RouteTableResolve()
    {
        var sum = 0;
        foreach (var address in _addresses)
        {
            sum += _table.Resolve("demo", address)!.Length;
        }

        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lookups)]
    public int DictionaryTryGetValue()
    {
        var sum = 0;
        foreach (var address in _addresses)
        {
            sum += _plain.TryGetValue(address, out var provider) ? provider.Length : "primary".Length;
        }

        return sum;
    }

    /// <summary>
    /// Runs both in this process (no generated project to build), <paramref name="rounds"/> times,
    /// and returns the medians: BenchmarkDotNet runs one method after the other, so on a shared
    /// machine a burst of load can land on one of them; repeated rounds keep the ratio honest.
    /// </summary>
    internal static Figure Run(TextWriter log, int rounds = 3)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(4)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(200));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(NullLogger.Instance)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "continuity-benchmarks"));
        log.WriteLine($"# lookup: BenchmarkDotNet in-process, {Users} user overrides, {Lookups} addresses per invocation (half overridden, half default), {rounds} rounds");
        var ours = new List<double>();
        var peer = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var summary = BenchmarkRunner.Run<RouteLookupBenchmarks>(config);
            double Mean(string method) =>
                summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Mean
                ?? throw new InvalidOperationException(
                    $"BenchmarkDotNet produced no result for {method}: {string.Join("; ", summary.ValidationErrors.Select(e => e.Message))}");

            ours.Add(Mean(nameof(RouteTableResolve)));
            peer.Add(Mean(nameof(DictionaryTryGetValue)));
            log.WriteLine(FormattableString.Invariant($"# lookup round {round}: RouteTable.Resolve {ours[^1]:0.0} ns/op, Dictionary.TryGetValue {peer[^1]:0.0} ns/op"));
        }

        ours.Sort();
        peer.Sort();
        return new Figure($"route lookup RouteTable.Resolve ({Users} overrides), median of {rounds}",
            Percentiles.Of(ours, 50), Percentiles.Of(peer, 50), "ns/op");
    }
}
