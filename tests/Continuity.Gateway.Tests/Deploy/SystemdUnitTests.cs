using System.Diagnostics;
using Continuity.Gateway.Tests.Configuration;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Deploy;

/// <summary>
/// <c>deploy/continuity.service</c> as systemd reads it: <c>systemd-analyze verify</c> accepts it without a warning.
/// The unit runs <c>/usr/local/bin/continuity</c> (the single-file build, installed); verify wants that program to exist,
/// so the test checks a copy whose ExecStart runs the executable this build made, with the same arguments.
/// </summary>
[Trait("Category", "Server")]
public sealed class SystemdUnitTests
{
    private const string InstalledExecutable = "/usr/local/bin/continuity";

    [Fact]
    public async Task Verify_ShippedUnit_AcceptedWithoutWarnings()
    {
        // Arrange
        var analyze = RequiredProgram.Find("systemd-analyze", "systemd");
        var unit = await File.ReadAllTextAsync(Path.Combine(ConfigCheckTests.RepoRoot(), "deploy", "continuity.service"));
        Assert.Contains($"ExecStart={InstalledExecutable} serve ", unit, StringComparison.Ordinal);
        var dotnet = Path.IsPathRooted(GatewayProcess.DotnetHost) ? GatewayProcess.DotnetHost : RequiredProgram.Find("dotnet", "dotnet-sdk-10.0");
        using var dir = new TempDirectory("unit");
        var copy = dir.Combine("continuity.service");
        await File.WriteAllTextAsync(copy, unit.Replace($"ExecStart={InstalledExecutable} ", $"ExecStart={dotnet} {GatewayProcess.ExecutablePath} ", StringComparison.Ordinal));

        // Act
        var (exit, output) = await RunAsync(analyze, "verify", copy);

        // Assert: exit 0 alone is not enough — an unknown key or a bad value is only a warning, on the unit's name.
        Assert.True(exit == 0, $"systemd-analyze verify exited {exit}:\n{output}");
        Assert.DoesNotContain("continuity.service", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unit_HardeningAndLowPortsWithoutRoot_Declared()
    {
        var unit = (await File.ReadAllTextAsync(Path.Combine(ConfigCheckTests.RepoRoot(), "deploy", "continuity.service")))
            .Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        foreach (var line in new[]
        {
            "Type=notify", "User=continuity", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
            "AmbientCapabilities=CAP_NET_BIND_SERVICE", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "ReadWritePaths=/var/lib/continuity",
        })
        {
            Assert.Contains(line, unit);
        }

        Assert.DoesNotContain(unit, l => l.StartsWith("MemoryDenyWriteExecute=yes", StringComparison.Ordinal));
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
