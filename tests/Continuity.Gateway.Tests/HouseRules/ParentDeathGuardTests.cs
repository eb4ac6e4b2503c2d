using System.Diagnostics;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.HouseRules;

/// <summary>A server started by a test run that is killed does not outlive it.</summary>
[Trait("Category", "Server")]
public sealed class ParentDeathGuardTests
{
    [Fact]
    public async Task Watch_ParentKilled_ServerStopped()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        using var server = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        try
        {
            ParentDeathGuard.Watch(server.Id, parent.Id);
            await Task.Yield();
            Assert.False(server.HasExited);

            parent.Kill();
            Assert.True(await WaitForExitAsync(server, TimeSpan.FromSeconds(15)), "the watched server outlived the killed test process");
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    private static async Task<bool> WaitForExitAsync(Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
