using System.Net;
using System.Net.Sockets;
using System.Text;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Cli;

/// <summary><c>continuity health</c>, the container's HEALTHCHECK: exit 0 only when <c>/health/ready</c> answers 200.</summary>
[Trait("Category", "Server")]
public sealed class HealthVerbTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    [Fact]
    public async Task Health_ReadyNode_ExitZero()
    {
        await using var gateway = await DemoGateway.StartAsync(redis.Server.ConnectionString);

        // A generous timeout: this asserts the answer, not the machine's speed.
        var result = await InProcessCli.RunAsync("health", "--url", gateway.BaseAddress.ToString(), "--timeout", "60");

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("/health/ready: 200", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NothingListening_ExitOneWithReason()
    {
        var port = FreePort.Next();

        var result = await InProcessCli.RunAsync("health", "--url", $"http://127.0.0.1:{port}");

        Assert.Equal(1, result.Code);
        Assert.Contains("cannot connect", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NotReady503_ExitOne()
    {
        using var server = OneAnswerServer.Start("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        var result = await InProcessCli.RunAsync("health", "--url", $"http://127.0.0.1:{server.Port}");

        Assert.Equal(1, result.Code);
        Assert.Contains("503", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NoAnswerWithinTimeout_ExitOne()
    {
        using var server = OneAnswerServer.Start(answer: null);

        var result = await InProcessCli.RunAsync("health", "--url", $"http://127.0.0.1:{server.Port}", "--timeout", "1");

        Assert.Equal(1, result.Code);
        Assert.Contains("no answer within 1 s", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--url", "ftp://127.0.0.1/")]
    [InlineData("--timeout", "abc")]
    public async Task Health_BadOption_UsageExitTwo(string option, string value)
    {
        var result = await InProcessCli.RunAsync("health", option, value);

        Assert.Equal(2, result.Code);
        Assert.Contains(option, result.Err, StringComparison.Ordinal);
    }

    /// <summary>A socket on 127.0.0.1 that reads a request and writes <c>answer</c> (or nothing, holding the connection).</summary>
    private sealed class OneAnswerServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();

        private OneAnswerServer(TcpListener listener) => _listener = listener;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static OneAnswerServer Start(string? answer)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var server = new OneAnswerServer(listener);
            _ = server.ServeAsync(answer);
            return server;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task ServeAsync(string? answer)
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var buffer = new byte[4096];
                _ = await stream.ReadAsync(buffer, _stop.Token);
                if (answer is null)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer!), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
                // The test is over.
            }
        }
    }
}
