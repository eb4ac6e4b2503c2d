namespace Continuity.Gateway.Cli.Verbs;

/// <summary>
/// <c>continuity health</c>: asks the local node's <c>/health/ready</c> (the container's HEALTHCHECK).
/// Exit 0 when it answers 200, 1 otherwise (503, unreachable, or no answer within <c>--timeout</c> seconds, 5 by default).
/// Needs no API key; the node is <c>--url</c>, <c>CONTINUITY_URL</c>, or http://127.0.0.1:8080.
/// </summary>
internal static class HealthVerb
{
    public static IEnumerable<Command> Create()
    {
        var timeout = CliOptions.Number("--timeout", "a number of seconds between 1 and 300", 1, 300, "Seconds to wait for the answer (default 5)");
        var health = new Command("health", "Exit 0 when the node's /health/ready answers 200, else 1 (no API key needed)") { CliOptions.Url, timeout }
            .Runs(c => ReadyAsync(c, c.Get(timeout) ?? 5));
        return [health];
    }

    private static async Task<int> ReadyAsync(CliContext c, int seconds)
    {
        var ready = new Uri(c.Url, "health/ready");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(seconds) };
        try
        {
            using var response = await http.GetAsync(ready, c.Cancellation);
            var line = $"{ready}: {(int)response.StatusCode} {response.ReasonPhrase}";
            if (response.IsSuccessStatusCode)
            {
                await c.Out.WriteLineAsync(line);
                return ExitCode.Ok;
            }

            await c.Error.WriteLineAsync(line);
            return ExitCode.Failed;
        }
        catch (HttpRequestException ex)
        {
            await c.Error.WriteLineAsync($"{ready}: cannot connect: {ex.Message}");
            return ExitCode.Failed;
        }
        catch (TaskCanceledException) when (!c.Cancellation.IsCancellationRequested)
        {
            await c.Error.WriteLineAsync($"{ready}: no answer within {seconds} s");
            return ExitCode.Failed;
        }
    }
}
