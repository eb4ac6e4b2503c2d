using Continuity.Core.Configuration;
using Continuity.Testing;
using Xunit.Abstractions;

namespace Continuity.Gateway.Tests.MultiNode;

/// <summary>
/// What one multi-node test starts: a real redis-server (on first use), gateway processes and
/// relays. Everything is stopped in <see cref="DisposeAsync"/>, after a passing or a failing test
/// alike, and every node's output goes to the test output so a failure shows what each node said.
/// </summary>
public abstract class MultiNodeTestBed(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<GatewayProcess> _nodes = [];
    private readonly List<IAsyncDisposable> _others = [];
    private RedisServer? _redis;

    /// <summary>The shared store of this test: a real redis-server on a free port, started on first use.</summary>
    protected RedisServer Redis => _redis ??= new RedisServer();

    /// <summary>Starts a gateway process for the demo tenant; <paramref name="configure"/> adjusts its configuration first.</summary>
    protected async Task<GatewayProcess> StartNodeAsync(
        string name, string? redis, Action<ContinuityOptions>? configure = null, Action<System.Text.Json.Nodes.JsonObject>? sections = null)
    {
        var options = GatewayConfig.Demo(redis);
        configure?.Invoke(options);
        var node = await GatewayProcess.StartAsync(name, options, sections: sections);
        _nodes.Add(node);
        return node;
    }

    /// <summary>A relay between a node and <see cref="Redis"/> that can lose pub/sub messages.</summary>
    protected GatewayStoreProxy StartStoreProxy()
    {
        var proxy = new GatewayStoreProxy(Redis.Port);
        _others.Add(proxy);
        return proxy;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var failures = new List<Exception>();
        foreach (var node in _nodes)
        {
            try
            {
                node.Kill();
                output.WriteLine(node.Describe());
                await node.DisposeAsync();
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }

        foreach (var other in _others)
        {
            await other.DisposeAsync();
        }

        _redis?.Dispose();
        if (failures.Count > 0)
        {
            throw new AggregateException("cleaning up the gateway processes failed", failures);
        }
    }
}
