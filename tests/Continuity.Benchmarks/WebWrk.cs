using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Continuity.Testing;

namespace Continuity.Benchmarks;

/// <summary>What one wrk run measured.</summary>
internal sealed record WebWrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Non2xx, long SocketErrors);

/// <summary>Runs <c>wrk --latency</c> against a URL with given headers and reads its summary.</summary>
internal static partial class WebWrk
{
    public static async Task<WebWrkResult> RunAsync(string url, IReadOnlyList<string> headers, int threads, int connections, TimeSpan duration, TextWriter log)
    {
        var wrk = RequiredProgram.Find("wrk", "wrk");
        var start = new ProcessStartInfo(wrk) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[$"-t{threads}", $"-c{connections}", string.Create(CultureInfo.InvariantCulture, $"-d{(int)duration.TotalSeconds}s"), "--latency"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var header in headers)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add(header);
        }

        start.ArgumentList.Add(url);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start wrk");
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        var error = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0 || RequestsPattern().Match(output) is not { Success: true } requests)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {output}{error}");
        }

        foreach (var line in output.Split('\n'))
        {
            log.WriteLine("#   " + line.TrimEnd());
        }

        var non2xx = NonSuccessPattern().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socketErrors = SocketErrorsPattern().Match(output) is { Success: true } s
            ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WebWrkResult(double.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture), Percentile(output, "50"), Percentile(output, "99"), non2xx, socketErrors);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, @"^\s*" + percent + @"(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            throw new InvalidOperationException($"wrk printed no {percent}% latency: {output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccessPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();
}
