using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Continuity.Mail.Imap;
using Continuity.Mail.Probes;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Continuity.Mail.Tests.Probes;

/// <summary>Probes of IMAP and submission backends: a real Dovecot (IMAP and submission), stopped, silent and refusing servers.</summary>
[Trait("Category", "Server")]
public sealed class ImapSubmissionProbeTests
{
    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task ProbeOnce_DovecotImapAndSubmissionUp_EachReportedUpWithItsBanner()
    {
        using var dovecot = DovecotServer.Start("access-probe-up", "alice@demo.test");
        using var submission = DovecotProxySubmission.Start("access-probe-up", FreePort.Next(), "alice@demo.test");
        using var bed = new ImapSubmissionProbeBed(dovecot.ImapUri, submission.Uri);

        await bed.RoundAsync();

        var imap = bed.Result(ImapSubmissionProbeService.ImapKind);
        Assert.True(imap.Up, imap.Detail);
        Assert.Equal(("demo", "imap", $"127.0.0.1:{Port(dovecot.ImapPort)}"), (imap.Tenant, imap.Kind, imap.Target));
        Assert.StartsWith("* OK ", imap.Detail, StringComparison.Ordinal);
        Assert.Contains("Dovecot", imap.Detail, StringComparison.Ordinal);
        Assert.Null(imap.DownSince);
        var smtp = bed.Result(ImapSubmissionProbeService.SubmissionKind);
        Assert.True(smtp.Up, smtp.Detail);
        Assert.Equal(("demo", "submission", $"127.0.0.1:{Port(submission.Port)}"), (smtp.Tenant, smtp.Kind, smtp.Target));
        Assert.StartsWith("220 ", smtp.Detail, StringComparison.Ordinal);
        Assert.Contains("Dovecot", smtp.Detail, StringComparison.Ordinal);
        Assert.Empty(bed.Signals.Raised);
    }

    [Fact]
    public async Task ProbeOnce_BackendsStoppedLongerThanDownAfter_DownWithReasonAndOneSignalEach()
    {
        using var dovecot = DovecotServer.Start("access-probe-down", "alice@demo.test");
        var submission = DovecotProxySubmission.Start("access-probe-down", FreePort.Next(), "alice@demo.test");
        var submissionPort = submission.Port;
        using var bed = new ImapSubmissionProbeBed(dovecot.ImapUri, submission.Uri);
        await bed.RoundAsync();
        Assert.True(bed.Result("imap").Up && bed.Result("submission").Up);

        dovecot.Stop();
        submission.Dispose(); // stops it
        await bed.RoundAsync();
        var imapDown = bed.Result("imap");
        var smtpDown = bed.Result("submission");
        bed.Time.Advance(bed.Probes.DownAfter);
        await bed.RoundAsync();
        bed.Time.Advance(bed.Probes.Interval);
        await bed.RoundAsync(); // still down: no second signal

        Assert.False(imapDown.Up);
        Assert.Equal(imapDown.CheckedAt, imapDown.DownSince);
        Assert.Equal("connect failed: ConnectionRefused", imapDown.Detail);
        Assert.False(smtpDown.Up);
        Assert.Equal("connect failed: ConnectionRefused", smtpDown.Detail);
        var signals = bed.Signals.Raised.OrderBy(s => s.Evidence, StringComparer.Ordinal).ToList();
        Assert.Equal(2, signals.Count);
        Assert.All(signals, s => Assert.Equal(("demo", (string?)null, "primary", "access-probe"), (s.Tenant, s.User, s.Provider, s.Source)));
        Assert.StartsWith($"imap backend plain://127.0.0.1:{Port(dovecot.ImapPort)} down since", signals[0].Evidence, StringComparison.Ordinal);
        Assert.StartsWith($"submission backend plain://127.0.0.1:{Port(submissionPort)} down since", signals[1].Evidence, StringComparison.Ordinal);

        dovecot.Restart();
        await bed.RoundAsync();
        Assert.True(bed.Result("imap").Up);
    }

    [Fact]
    public async Task ProbeOnce_ImapBackendAcceptsButNeverGreets_DownAfterTheTimeoutWithoutHanging()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var bed = new ImapSubmissionProbeBed($"imap://127.0.0.1:{Port(port)}", null);

        var round = bed.RoundAsync();
        using var accepted = await silent.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(round.IsCompleted); // waiting for a greeting that never comes
        bed.Time.Advance(bed.Probes.Timeout);
        await round;

        var result = bed.Result("imap");
        Assert.False(result.Up);
        Assert.Contains("no answer within 10 s", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("* BYE server shutting down\r\n", "greeting: * BYE server shutting down")]
    [InlineData("* OK ready\r\np1 BAD no\r\n", "CAPABILITY: p1 BAD no")]
    [InlineData("* OK ready\r\n", "CAPABILITY: connection closed")]
    [InlineData("* OK \0\u0001bell\r\np1 OK\r\n", null)]
    public async Task ProbeOnce_ImapBackendMisbehaves_DownWithWhatItSaid(string script, string? expected)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        using var bed = new ImapSubmissionProbeBed($"imap://127.0.0.1:{Port(port)}", null);

        var round = bed.RoundAsync();
        using (var client = await server.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10)))
        {
            await client.SendAsync(System.Text.Encoding.Latin1.GetBytes(script));
            client.Shutdown(SocketShutdown.Send);
            await round;
        }

        var result = bed.Result("imap");
        if (expected is null)
        {
            Assert.True(result.Up, result.Detail); // control bytes in a greeting are not a failure, and never reach the detail raw
            Assert.DoesNotContain('\0', result.Detail);
        }
        else
        {
            Assert.False(result.Up);
            Assert.Equal(expected, result.Detail);
        }
    }

    [Fact]
    public async Task ProbeOnce_OverlongImapGreeting_DownNotGrowing()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        using var bed = new ImapSubmissionProbeBed($"imap://127.0.0.1:{Port(port)}", null);

        var round = bed.RoundAsync();
        using (var client = await server.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10)))
        {
            var flood = "* OK "u8.ToArray().Concat(Enumerable.Repeat((byte)'x', 100_000)).ToArray();
            try
            {
                await client.SendAsync(flood);
            }
            catch (SocketException)
            {
                // The probe gave up and closed while the flood was still going: that is the point.
            }

            await round;
        }

        var result = bed.Result("imap");
        Assert.False(result.Up);
        Assert.Equal("greeting: line longer than 8192 bytes", result.Detail);
    }

    [Fact]
    public async Task ProbeOnce_SubmissionBannerThatIsNot220_IsDown()
    {
        using var refusing = new TcpListener(IPAddress.Loopback, 0);
        refusing.Start();
        var port = ((IPEndPoint)refusing.LocalEndpoint).Port;
        using var bed = new ImapSubmissionProbeBed(null, $"smtp://127.0.0.1:{Port(port)}");

        var round = bed.RoundAsync();
        using (var client = await refusing.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10)))
        {
            await client.SendAsync("554 5.3.2 submission.provider.example no service for you\r\n"u8.ToArray());
            await round;
        }

        var result = bed.Result("submission");
        Assert.False(result.Up);
        Assert.Equal("banner: 554 5.3.2 submission.provider.example no service for you", result.Detail);
    }

    [Fact]
    public async Task AddContinuityMailAccess_RegistersTheProbes_WithTheMailProbeOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Continuity:Mail:Probes:Interval"] = "00:00:07",
            ["Continuity:Mail:Probes:Timeout"] = "00:00:03",
            ["Continuity:Tenants:demo:Domains:0"] = "demo.test",
            ["Continuity:Tenants:demo:DefaultProvider"] = "primary",
            ["Continuity:Tenants:demo:Providers:primary:Mail:Imap"] = "imaps://imap.provider.example",
            ["Continuity:Tenants:demo:Providers:primary:Mail:Submission"] = "smtp://127.0.0.1:2587",
            ["Continuity:Tenants:demo:Providers:sovereign:Mail:Imap"] = "imap://imap.sovereign.example:1143",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<Core.Configuration.ContinuityOptions>().Bind(configuration.GetSection(Core.Configuration.ContinuityOptions.SectionName));
        services.AddSingleton<Core.Signals.ICutoffSignals, RecordingCutoffSignals>();
        services.AddContinuityMailAccess();
        await using var provider = services.BuildServiceProvider();

        var probe = provider.GetRequiredService<ImapSubmissionProbeService>();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Configuration.ProbeOptions>>().Get(ImapSubmissionProbeService.OptionsName);

        // The other hosted services (IMAP and submission listeners) need the Core services this container lacks.
        var hosted = services
            .Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationFactory is not null)
            .Select(d =>
            {
                try
                {
                    return d.ImplementationFactory!(provider);
                }
                catch (InvalidOperationException)
                {
                    return null;
                }
            });
        Assert.Contains(hosted, h => ReferenceEquals(h, probe));
        Assert.Equal((TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(3)), (options.Interval, options.Timeout));
        Assert.Equal(
            [("primary", "imap", "imap.provider.example:993"), ("primary", "submission", "127.0.0.1:2587"), ("sovereign", "imap", "imap.sovereign.example:1143")],
            probe.Targets.Select(t => (t.Provider, t.Kind, t.Target)));
    }
}
