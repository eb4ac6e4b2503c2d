using System.Globalization;
using Continuity.Identity.Tests.Support;
using Continuity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Continuity.Identity.Tests.Probes;

/// <summary>Probes of identity upstreams: the stand-in OpenIddict upstreams, and a fake one that answers wrongly or not at all.</summary>
[Trait("Category", "Server")]
public sealed class UpstreamProbeTests
{
    private static readonly Dictionary<string, UpstreamUser> NoUsers = [];

    [Fact]
    public async Task ProbeOnce_BothStandInsServing_UpWithTheirKeys()
    {
        await using var primary = await StandInUpstream.StartAsync(NoUsers);
        await using var sovereign = await StandInUpstream.StartAsync(NoUsers);
        using var bed = new ProbeBed(primary.Issuer.AbsoluteUri, sovereign.Issuer.AbsoluteUri);

        await bed.RoundAsync();

        foreach (var (name, upstream) in new[] { ("primary", primary), ("sovereign", sovereign) })
        {
            var result = bed.Result(name);
            Assert.True(result.Up, result.Detail);
            Assert.Equal(("demo", "identity", upstream.Issuer.AbsoluteUri), (result.Tenant, result.Kind, result.Target));
            Assert.Equal("discovery and jwks ok, 1 key(s)", result.Detail);
        }
    }

    [Fact]
    public async Task ProbeOnce_PrimaryStoppedLongerThanDownAfter_OneTenantSignalPerOutage()
    {
        var primary = await StandInUpstream.StartAsync(NoUsers);
        await using var sovereign = await StandInUpstream.StartAsync(NoUsers);
        using var bed = new ProbeBed(primary.Issuer.AbsoluteUri, sovereign.Issuer.AbsoluteUri);
        await bed.RoundAsync();
        Assert.True(bed.Result("primary").Up);

        await primary.DisposeAsync();
        await bed.RoundAsync();
        var down = bed.Result("primary");
        var signalsBeforeDownAfter = await ProbeClock.PastDownAfterAsync(bed.Time, bed.Probes.DownAfter, bed.Probes.Interval, bed.RoundAsync, () => bed.Signals.Raised.Count);

        Assert.False(down.Up);
        Assert.StartsWith("discovery: ConnectionError", down.Detail, StringComparison.Ordinal);
        Assert.Equal(down.CheckedAt, down.DownSince);
        Assert.Equal(0, signalsBeforeDownAfter);
        var signal = Assert.Single(bed.Signals.Raised);
        Assert.Equal(("demo", (string?)null, "primary", "identity-probe"), (signal.Tenant, signal.User, signal.Provider, signal.Source));
        Assert.Contains(primary.Issuer.AbsoluteUri, signal.Evidence, StringComparison.Ordinal);
        Assert.Contains("ConnectionError", signal.Evidence, StringComparison.Ordinal);
        Assert.True(bed.Result("sovereign").Up);
    }

    [Fact]
    public async Task ProbeOnce_RecoversThenFailsAgain_SecondSignal()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        using var bed = new ProbeBed(upstream.Authority);
        upstream.Issuer = "https://impostor.example/";
        await bed.RoundAsync();
        bed.Time.Advance(bed.Probes.DownAfter);
        await bed.RoundAsync();
        upstream.Issuer = upstream.Authority;
        await bed.RoundAsync();
        var recovered = bed.Result("primary");
        upstream.Keys = 0;
        await bed.RoundAsync();
        bed.Time.Advance(bed.Probes.DownAfter);
        await bed.RoundAsync();

        Assert.True(recovered.Up, recovered.Detail);
        Assert.Equal(2, bed.Signals.Raised.Count);
        var signals = bed.Signals.Raised.ToArray();
        Assert.Contains("issuer 'https://impostor.example/' is not the configured authority", signals[0].Evidence, StringComparison.Ordinal);
        Assert.Contains("jwks: no keys", signals[1].Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeOnce_DiscoveryNotJsonOr500_DownWithReason()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        using var bed = new ProbeBed(upstream.Authority);

        upstream.Status = 500;
        await bed.RoundAsync();
        var failing = bed.Result("primary");
        upstream.Status = 200;
        upstream.Raw = "<html>sign-in is down</html>";
        await bed.RoundAsync();
        var html = bed.Result("primary");

        Assert.False(failing.Up);
        Assert.StartsWith("discovery: HTTP 500", failing.Detail, StringComparison.Ordinal);
        Assert.False(html.Up);
        Assert.StartsWith("discovery: not valid JSON", html.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeOnce_UpstreamNeverAnswers_DownAfterTheTimeoutOnTheFakeClock()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        using var bed = new ProbeBed(upstream.Authority);
        upstream.Hang = true;

        var round = bed.RoundAsync();
        await upstream.Requested.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(round.IsCompleted);
        bed.Time.Advance(bed.Probes.Timeout);
        await round.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("discovery: no answer within 10 s", bed.Result("primary").Detail);
    }

    [Fact]
    public async Task ExecuteAsync_RunsARoundEveryInterval_OnTheInjectedClock()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        using var bed = new ProbeBed(upstream.Authority);

        await bed.Service.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => upstream.Discoveries == 1, TimeSpan.FromSeconds(10), "the first round at start");
            bed.Time.Advance(bed.Probes.Interval);
            await Eventually.TrueAsync(() => upstream.Discoveries == 2, TimeSpan.FromSeconds(10), "a round after one interval");
        }
        finally
        {
            await bed.Service.StopAsync(CancellationToken.None);
        }

        Assert.True(bed.Result("primary").Up);
    }

    /// <summary>An upstream whose discovery document and JWKS the test shapes (the upstream's behaviour, not the prober, is faked).</summary>
    private sealed class FakeUpstream : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _discoveries;

        private FakeUpstream(WebApplication app) => _app = app;

        public string Authority { get; private set; } = "";

        public string Issuer { get; set; } = "";

        public int Keys { get; set; } = 1;

        public int Status { get; set; } = 200;

        public string? Raw { get; set; }

        public bool Hang { get; set; }

        public int Discoveries => Volatile.Read(ref _discoveries);

        public TaskCompletionSource Requested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<FakeUpstream> StartAsync()
        {
            var app = LoopbackApp.CreateBuilder().Build();
            var self = new FakeUpstream(app);
            app.MapGet("/.well-known/openid-configuration", async (HttpContext http) =>
            {
                Interlocked.Increment(ref self._discoveries);
                self.Requested.TrySetResult();
                if (self.Hang)
                {
                    await self._never.Task.WaitAsync(http.RequestAborted);
                }

                return self.Raw is { } raw ? Results.Text(raw, "text/html", statusCode: self.Status)
                    : Results.Json(new Dictionary<string, object> { ["issuer"] = self.Issuer, ["jwks_uri"] = self.Authority + "jwks" }, statusCode: self.Status);
            });
            app.MapGet("/jwks", () => Results.Json(new { keys = Enumerable.Range(0, self.Keys).Select(i => new { kty = "RSA", kid = "k" + i.ToString(CultureInfo.InvariantCulture), n = "AQAB", e = "AQAB" }) }));
            self.Authority = (await LoopbackApp.StartAsync(app)).AbsoluteUri;
            self.Issuer = self.Authority;
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            _never.TrySetCanceled();
            await LoopbackApp.StopAsync(_app);
        }
    }
}
