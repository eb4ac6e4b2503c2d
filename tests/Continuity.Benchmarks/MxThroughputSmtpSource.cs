using System.Diagnostics;
using System.Globalization;

namespace Continuity.Benchmarks;

/// <summary>
/// Runs Postfix's <c>smtp-source</c> once and times it: <c>-s sessions -m count -l size</c> from
/// <c>sender@outside.example</c> to <c>alice@demo.test</c>, one SMTP session per message (its default:
/// connect, greeting, HELO, MAIL, RCPT, DATA, QUIT), which is what an MX sees from the Internet.
/// </summary>
internal static class MxThroughputSmtpSource
{
    /// <summary>Messages per second over the run's wall time; throws if smtp-source reports any error.</summary>
    public static async Task<double> RunAsync(string smtpSource, string target, int messages, int sessions, int size)
    {
        var psi = new ProcessStartInfo(smtpSource) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "-s", sessions.ToString(CultureInfo.InvariantCulture), "-m", messages.ToString(CultureInfo.InvariantCulture),
            "-l", size.ToString(CultureInfo.InvariantCulture), "-f", "sender@outside.example", "-t", "alice@demo.test", target,
        })
        {
            psi.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start smtp-source");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var errors = (await stderr.ConfigureAwait(false)) + await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0 || errors.Contains("error", StringComparison.OrdinalIgnoreCase) || errors.Contains("warning", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"smtp-source against {target} failed (exit {process.ExitCode}): {errors}");
        }

        return messages / seconds;
    }
}
