using Continuity.Core.Health;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Core.Tests.Health;

[Trait("Category", "Server")]
public sealed class BackendHealthRegistryTests
{
    [Fact]
    public void Report_ConsecutiveFailuresThenRecovery_DownSinceKeptThenCleared()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var registry = new BackendHealthRegistry(time);
        var firstFailure = time.GetUtcNow();

        registry.Report("demo", "primary", "inbound", "127.0.0.1:24", up: false, "connection refused");
        time.Advance(TimeSpan.FromSeconds(30));
        var stillDown = registry.Report("demo", "primary", "inbound", "127.0.0.1:24", up: false, "connection refused");
        time.Advance(TimeSpan.FromSeconds(30));
        var recovered = registry.Report("demo", "primary", "inbound", "127.0.0.1:24", up: true, "220 ready");

        Assert.Equal(firstFailure, stillDown.DownSince);
        Assert.Null(recovered.DownSince);
        Assert.True(Assert.Single(registry.All).Up);
    }
}
