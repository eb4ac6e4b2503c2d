using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Continuity.Gateway.Cli;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Cli;

/// <summary>
/// The action's cancellation token (Ctrl+C or SIGTERM in a terminal) reaches the admin client's HTTP call: a verb
/// waiting on a gateway that never answers stops at once instead of after the client's 30 s timeout.
/// </summary>
[Trait("Category", "Server")]
public sealed class CliCancellationTests
{
    [Fact]
    public async Task AdminVerb_CancelledWhileTheGatewayDoesNotAnswer_StopsPromptlyWithExitOne()
    {
        // Listening but never accepting: the kernel completes the handshake and takes the request, no answer ever comes.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();

            var code = await ContinuityCli.RunAsync(["route", "show", "--url", url, "--api-key", "x"], stdout, stderr, cancel.Token);

            Assert.Equal(ExitCode.Failed, code);
            Assert.Contains("error: cancelled", stderr.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("did not answer in time", stderr.ToString(), StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed} (the client's own timeout is 30 s)");
        }
        finally
        {
            silent.Stop();
        }
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task BuiltCli_SignalledWhileTheGatewayDoesNotAnswer_SaysCancelledAndExitsOne(string signal)
    {
        // The built executable as an operator runs it; the signal comes from outside, as Ctrl+C or a service manager's stop.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
            var clock = Stopwatch.StartNew();
            TimeSpan signalled = default;

            var result = await GatewayCli.RunAsync(
                async pid =>
                {
                    // The request is in the listener's backlog: the verb is waiting on the gateway.
                    await Eventually.TrueAsync(silent.Pending, TimeSpan.FromSeconds(30), "the CLI connected to the silent gateway");
                    signalled = clock.Elapsed;
                    using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                    await kill.WaitForExitAsync();
                },
                "route", "show", "--url", url, "--api-key", "x");

            Assert.True(result.ExitCode == (int)ExitCode.Failed, result.ToString());
            Assert.Contains("error: cancelled", result.Stderr, StringComparison.Ordinal);
            Assert.True(clock.Elapsed - signalled < TimeSpan.FromSeconds(15), $"exited {clock.Elapsed - signalled} after SIGINT/SIGTERM (the client's own timeout is 30 s)");
        }
        finally
        {
            silent.Stop();
        }
    }
}
