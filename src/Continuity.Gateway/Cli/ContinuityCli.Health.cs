namespace Continuity.Gateway.Cli;

/// <summary>
/// <c>continuity health</c>: asks the local node's <c>/health/ready</c> (the container's HEALTHCHECK).
/// Exit 0 when it answers 200, 1 otherwise (503, unreachable, or no answer within <c>--timeout</c> seconds, 5 by default).
/// Needs no API key; the node is <c>--url</c>, <c>CONTINUITY_URL</c>, or http://127.0.0.1:8080.
/// </summary>
internal static partial class ContinuityCli
{
    private static async Task<int> HealthAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var url = cli["url"] ?? Environment.GetEnvironmentVariable("CONTINUITY_URL") ?? "http://127.0.0.1:8080";
        if (!Uri.TryCreate(url.TrimEnd('/') + "/health/ready", UriKind.Absolute, out var ready) || ready.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--url '{url}' is not an http(s) URL");
        }

        var seconds = cli["timeout"] is { } t ? (int.TryParse(t, out var s) && s is > 0 and <= 300 ? s : throw new UsageException("--timeout must be a number of seconds between 1 and 300")) : 5;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(seconds) };
        try
        {
            using var response = await http.GetAsync(ready);
            var line = $"{ready}: {(int)response.StatusCode} {response.ReasonPhrase}";
            if (response.IsSuccessStatusCode)
            {
                await stdout.WriteLineAsync(line);
                return Ok;
            }

            await stderr.WriteLineAsync(line);
            return Failed;
        }
        catch (HttpRequestException ex)
        {
            await stderr.WriteLineAsync($"{ready}: cannot connect: {ex.Message}");
            return Failed;
        }
        catch (TaskCanceledException)
        {
            await stderr.WriteLineAsync($"{ready}: no answer within {seconds} s");
            return Failed;
        }
    }
}
