using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Continuity.Gateway.Cli;

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
}
