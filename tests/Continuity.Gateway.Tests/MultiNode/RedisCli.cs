using System.Diagnostics;
using System.Globalization;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.MultiNode;

/// <summary><c>redis-cli</c> against a test's redis-server: what an operator (or a fault) does to the store from outside.</summary>
internal static class RedisCli
{
    /// <summary>Runs one command; returns its raw output, trimmed. Fails on a non-zero exit.</summary>
    public static async Task<string> RunAsync(int port, params string[] command)
    {
        var psi = new ProcessStartInfo(RequiredProgram.Find("redis-cli", "redis-tools"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--raw" }.Concat(command))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? stdout.Trim()
            : throw new InvalidOperationException($"redis-cli {string.Join(' ', command)}: exit {process.ExitCode}: {stdout}{stderr}");
    }

    /// <summary>Waits until at least <paramref name="count"/> connections subscribe to <paramref name="channel"/>.</summary>
    public static Task WaitForSubscribersAsync(int port, string channel, int count, TimeSpan timeout) =>
        Eventually.TrueAsync(async () =>
        {
            var lines = (await RunAsync(port, "PUBSUB", "NUMSUB", channel)).Split('\n');
            return lines.Length == 2 && int.Parse(lines[1], CultureInfo.InvariantCulture) >= count;
        }, timeout, $"{count} subscriber(s) on {channel}");
}
