using System.Text.Json.Nodes;

namespace Continuity.Gateway.Cli;

/// <summary>
/// One verb's run: its parsed values, where it writes, the admin client built from <c>--url</c>/<c>--api-key</c>, and the
/// run's cancellation (Ctrl+C or SIGTERM), which every call of that client and every wait of the verb observes.
/// </summary>
internal sealed class CliContext(ParseResult parse, CancellationToken cancellationToken)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Cancelled on Ctrl+C (SIGINT) or SIGTERM: the verb stops waiting and the CLI exits with an error.</summary>
    public CancellationToken Cancellation => cancellationToken;

    public TextWriter Out { get; } = parse.InvocationConfiguration.Output;

    public TextWriter Error { get; } = parse.InvocationConfiguration.Error;

    /// <summary><c>--json</c>: print the gateway's answer as JSON instead of lines for a person.</summary>
    public bool Json => parse.GetValue(CliOptions.Json);

    /// <summary>The gateway's base URL: <c>--url</c>, else <c>CONTINUITY_URL</c>, else http://127.0.0.1:8080.</summary>
    public Uri Url => parse.GetValue(CliOptions.Url) ?? CliOptions.UrlFromEnvironment();

    public T? Get<T>(Option<T> option) => parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => parse.GetValue(argument);

    public T Required<T>(Option<T> option) => parse.GetRequiredValue(option);

    public T Required<T>(Argument<T> argument) => parse.GetRequiredValue(argument);

    public AdminClient Client(TimeSpan? timeout = null) =>
        new(Url, parse.GetValue(CliOptions.ApiKey) ?? Environment.GetEnvironmentVariable("CONTINUITY_API_KEY"), timeout ?? TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>A refused or failed call: its one-line reason on stderr, exit 1.</summary>
    public int Fail<T>(AdminResponse<T> response)
    {
        Error.WriteLine($"error: {response.Error}");
        return ExitCode.Failed;
    }

    /// <summary>
    /// How a verb ends with the gateway's answer: a refused or failed call fails (<see cref="Fail{T}"/>); otherwise the
    /// answer is printed as JSON with <c>--json</c>, or as <paramref name="write"/> puts it for a person; exit 0.
    /// </summary>
    public int Answer<T>(AdminResponse<T> response, Action<T> write)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(write);
        if (!response.Ok)
        {
            return Fail(response);
        }

        if (Json)
        {
            WriteJson(response.Json);
        }
        else
        {
            write(response.Value!);
        }

        return ExitCode.Ok;
    }

    /// <summary>A time as the API writes it (ISO 8601, as in <c>--json</c>), "" for none.</summary>
    public static string Time(DateTimeOffset? time) =>
        time?.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    public void WriteJson(JsonNode? json) => Out.WriteLine(json?.ToJsonString(Indented) ?? "null");
}
