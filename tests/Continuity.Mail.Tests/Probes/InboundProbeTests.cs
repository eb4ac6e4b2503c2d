using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Continuity.Mail.Probes;
using Continuity.Testing;

namespace Continuity.Mail.Tests.Probes;

/// <summary>Probes of inbound backends: a real Dovecot (LMTP), a closed port, and a server that never greets.</summary>
[Trait("Category", "Server")]
public sealed class InboundProbeTests
{
    [Fact]
    public async Task ProbeOnce_DovecotLmtpUpAndClosedPort_EachProviderReportedWithBannerOrReason()
    {
        using var dovecot = DovecotServer.Start("probe-up", "alice@demo.test");
        var closed = FreePort.Next();
        using var bed = new ProbeBed(dovecot.LmtpUri, $"smtp://127.0.0.1:{closed.ToString(CultureInfo.InvariantCulture)}");

        await bed.RoundAsync();

        var primary = bed.Result("primary");
        Assert.True(primary.Up, primary.Detail);
        Assert.Equal(("demo", "inbound", $"127.0.0.1:{dovecot.LmtpPort.ToString(CultureInfo.InvariantCulture)}"), (primary.Tenant, primary.Kind, primary.Target));
        Assert.StartsWith("220 ", primary.Detail, StringComparison.Ordinal);
        Assert.Contains("Dovecot", primary.Detail, StringComparison.Ordinal);
        Assert.Null(primary.DownSince);
        var sovereign = bed.Result("sovereign");
        Assert.False(sovereign.Up);
        Assert.Equal($"127.0.0.1:{closed.ToString(CultureInfo.InvariantCulture)}", sovereign.Target);
        Assert.Contains("ConnectionRefused", sovereign.Detail, StringComparison.Ordinal);
        Assert.Empty(bed.Signals.Raised); // down, but not yet for DownAfter
    }

    [Fact]
    public async Task ProbeOnce_BackendStoppedLongerThanDownAfter_OneTenantSignalUntilItRecoversAndFailsAgain()
    {
        using var dovecot = DovecotServer.Start("probe-down", "alice@demo.test");
        using var bed = new ProbeBed(dovecot.LmtpUri);
        await bed.RoundAsync();
        Assert.True(bed.Result("primary").Up);

        dovecot.Stop();
        await bed.RoundAsync();
        var down = bed.Result("primary");
        var signalsBeforeDownAfter = await ProbeClock.PastDownAfterAsync(bed.Time, bed.Probes.DownAfter, bed.Probes.Interval, bed.RoundAsync, () => bed.Signals.Raised.Count);

        Assert.False(down.Up);
        Assert.Equal(down.CheckedAt, down.DownSince);
        Assert.Equal(0, signalsBeforeDownAfter);
        var signal = Assert.Single(bed.Signals.Raised);
        Assert.Equal(("demo", (string?)null, "primary", "mx-probe"), (signal.Tenant, signal.User, signal.Provider, signal.Source));
        Assert.Contains($"lmtp://127.0.0.1:{dovecot.LmtpPort.ToString(CultureInfo.InvariantCulture)}", signal.Evidence, StringComparison.Ordinal);
        Assert.Contains("ConnectionRefused", signal.Evidence, StringComparison.Ordinal);

        dovecot.Restart();
        await bed.RoundAsync();
        Assert.True(bed.Result("primary").Up);
        dovecot.Stop();
        await bed.RoundAsync();
        bed.Time.Advance(bed.Probes.DownAfter);
        await bed.RoundAsync();

        Assert.Equal(2, bed.Signals.Raised.Count); // it recovered in between, so the new outage signals again
    }

    [Fact]
    public async Task ProbeOnce_BackendAcceptsButNeverGreets_DownAfterTheTimeoutWithoutHanging()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var bed = new ProbeBed($"lmtp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

        var round = bed.RoundAsync();
        using var accepted = await silent.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(round.IsCompleted); // waiting for a banner that never comes
        bed.Time.Advance(bed.Probes.Timeout);
        await round;

        var result = bed.Result("primary");
        Assert.False(result.Up);
        // The stage named may be "connect" or "banner": the fake clock can move before the client sees its connect complete.
        Assert.Contains("no answer within 10 s", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeOnce_GreetingThatIsNot220_IsDown()
    {
        using var refusing = new TcpListener(IPAddress.Loopback, 0);
        refusing.Start();
        var port = ((IPEndPoint)refusing.LocalEndpoint).Port;
        using var bed = new ProbeBed($"smtp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

        var round = bed.RoundAsync();
        using (var client = await refusing.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10)))
        {
            await client.SendAsync("554 5.3.2 mx.provider.example no service for you\r\n"u8.ToArray());
            await round;
        }

        var result = bed.Result("primary");
        Assert.False(result.Up);
        Assert.Equal("banner: 554 5.3.2 mx.provider.example no service for you", result.Detail);
    }

    [Fact]
    public async Task ExecuteAsync_RunsARoundEveryInterval_OnTheInjectedClock()
    {
        using var bed = new ProbeBed($"lmtp://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}");
        var start = bed.Time.GetUtcNow();

        await bed.Service.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => bed.Registry.All.Count == 1, TimeSpan.FromSeconds(10), "the first round at start");
            bed.Time.Advance(bed.Probes.Interval);
            await Eventually.TrueAsync(() => bed.Registry.All.All(r => r.CheckedAt == start + bed.Probes.Interval), TimeSpan.FromSeconds(10), "a round after one interval");
        }
        finally
        {
            await bed.Service.StopAsync(CancellationToken.None);
        }

        Assert.All(bed.Registry.All, r => Assert.Equal(start, r.DownSince));
    }
}
