using Continuity.Testing;

namespace Continuity.Gateway.Tests.Support;

/// <summary>One real redis-server shared by a test class; every gateway uses its own key prefix.</summary>
public sealed class SharedRedis : IDisposable
{
    public RedisServer Server { get; } = new();

    public void Dispose() => Server.Dispose();
}
