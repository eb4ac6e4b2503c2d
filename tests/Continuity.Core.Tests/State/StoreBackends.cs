using Continuity.Core.State;
using Continuity.Testing;

namespace Continuity.Core.Tests.State;

/// <summary>A real Redis-protocol server the contract tests run against.</summary>
public interface IStoreBackend
{
    string ConnectionString { get; }
}

/// <summary>A real redis-server, shared by one test class.</summary>
public sealed class RedisBackend : IStoreBackend, IDisposable
{
    private readonly RedisServer _server = new();

    public string ConnectionString => _server.ConnectionString;

    public void Dispose() => _server.Dispose();
}

/// <summary>The gateway's embedded Garnet (in this process, password, AOF), shared by one test class.</summary>
public sealed class GarnetBackend : IStoreBackend, IDisposable
{
    private readonly TempDirectory _dir = new("garnet");
    private readonly EmbeddedGarnet _garnet;

    public GarnetBackend() => _garnet = EmbeddedGarnet.Start(_dir.Path, 0, "64m");

    public string ConnectionString => _garnet.ConnectionString;

    public void Dispose()
    {
        _garnet.Dispose();
        _dir.Dispose();
    }
}
