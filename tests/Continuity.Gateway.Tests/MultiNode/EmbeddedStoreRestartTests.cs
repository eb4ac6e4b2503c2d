using System.Text.Json;
using Continuity.Testing;
using Xunit.Abstractions;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.MultiNode;

/// <summary>
/// Embedded mode (no Redis configured: Garnet in the gateway process, AOF in the data directory):
/// route changes survive a restart of the gateway, graceful or not. The fail-static disk copy is
/// removed before each restart so that only the store can bring the routes back.
/// </summary>
[Trait("Category", "Server")]
public sealed class EmbeddedStoreRestartTests(ITestOutputHelper output) : MultiNodeTestBed(output)
{
    public enum Shutdown
    {
        /// <summary>SIGTERM: the host stops and disposes the store.</summary>
        Graceful,

        /// <summary>SIGKILL right after the change was answered: nothing runs on the way down.</summary>
        Killed,
    }

    [Theory]
    [InlineData(Shutdown.Graceful)]
    [InlineData(Shutdown.Killed)]
    public async Task ChangeRoute_EmbeddedStoreThenRestart_ChangeSurvives(Shutdown shutdown)
    {
        // Arrange
        var node = await StartNodeAsync("embedded", redis: null);
        await node.WaitSyncedAsync();
        await node.ChangeRouteAsync(Alice, "sovereign", "sanctions");
        var version = await node.ChangeRouteAsync(Bob, "sovereign", "sanctions");

        // Act
        if (shutdown == Shutdown.Graceful)
        {
            await node.StopAsync();
            Assert.Equal(0, node.ExitCode);
        }
        else
        {
            node.Kill();
        }

        File.Delete(node.SnapshotFile);
        await node.RestartAsync();
        await node.WaitSyncedAsync();

        // Assert
        var routes = await node.RoutesAsync();
        Assert.True(version == routes.Version, $"route version {routes.Version} after a {shutdown} restart, {version} before ({routes})");
        Assert.Equal("sovereign", routes.Resolve(Alice));
        Assert.Equal("sovereign", routes.Resolve(Bob));
        Assert.Equal("primary", routes.Resolve(Carol));
        using var verify = JsonDocument.Parse(await node.Admin.GetStringAsync("admin/api/audit/verify"));
        Assert.True(verify.RootElement.GetProperty("intact").GetBoolean(), verify.RootElement.ToString());
        Assert.Equal(2, verify.RootElement.GetProperty("records").GetInt32());
    }
}
