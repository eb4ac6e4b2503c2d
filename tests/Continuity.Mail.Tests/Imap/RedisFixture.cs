using Continuity.Testing;

namespace Continuity.Mail.Tests.Imap;

/// <summary>A redis-server shared by one test class (each host uses a key prefix of its own).</summary>
public sealed class RedisFixture : IDisposable
{
    private readonly RedisServer _server = new();

    public string ConnectionString => _server.ConnectionString;

    public void Dispose() => _server.Dispose();
}
