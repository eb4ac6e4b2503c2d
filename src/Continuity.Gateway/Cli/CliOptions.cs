using System.Numerics;

namespace Continuity.Gateway.Cli;

/// <summary>
/// Options shared by the verbs (connection, <c>--json</c>, <c>--tenant</c>) and the typed ones: a value that does not
/// convert is a parse error naming the option and the value (exit 2), so no request is ever sent with it.
/// </summary>
internal static class CliOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static readonly Option<Uri?> Url = new("--url")
    {
        Description = $"The gateway's base URL (default: CONTINUITY_URL, else {DefaultUrl})",
        HelpName = "URL",
        CustomParser = r => ParseUrl(r.Tokens[0].Value, e => r.AddError(e)),
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "An admin API key (default: CONTINUITY_API_KEY)",
        HelpName = "KEY",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the gateway's answer as JSON",
    };

    /// <summary>A verb that calls the admin API: <c>--url</c>, <c>--api-key</c> and <c>--json</c> come with its own options, arguments and sub-verbs.</summary>
    public static Command AdminCommand(string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Command sub:
                    command.Subcommands.Add(sub);
                    break;
            }
        }

        command.Options.Add(Url);
        command.Options.Add(ApiKey);
        command.Options.Add(Json);
        return command;
    }

    /// <summary>Runs <paramref name="action"/> for this command (its exit code is the process's).</summary>
    public static Command Runs(this Command command, Func<CliContext, Task<int>> action)
    {
        command.SetAction((parse, cancellationToken) => action(new CliContext(parse, cancellationToken)));
        return command;
    }

    /// <summary><c>--tenant T</c>: a tenant id, never empty.</summary>
    public static Option<string> Tenant(bool required, string description = "The tenant id") =>
        Text("--tenant", "T", description, required);

    /// <summary>A text option that must have a non-blank value when given (<c>--reason ""</c> is an error, not a reason).</summary>
    public static Option<string> Text(string name, string helpName, string description, bool required)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName, Required = required };
        option.Validators.Add(r =>
        {
            if (r.Tokens is [{ Value: var value }] && string.IsNullOrWhiteSpace(value))
            {
                r.AddError($"{name} is required and cannot be blank");
            }
        });
        return option;
    }

    /// <summary>A whole-number option between <paramref name="min"/> and <paramref name="max"/>; anything else is "NAME must be WHAT, not 'x'".</summary>
    public static Option<T?> Number<T>(string name, string what, T min, T max, string description)
        where T : struct, IBinaryInteger<T> =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = r =>
            {
                var text = r.Tokens[0].Value;
                if (T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                {
                    return value;
                }

                r.AddError($"{name} must be {what}, not '{text}'");
                return null;
            },
        };

    /// <summary>A file argument that must name an existing file.</summary>
    public static Argument<FileInfo> ExistingFile(string name, string description) =>
        new Argument<FileInfo>(name) { Description = description }.AcceptExistingOnly();

    /// <summary><c>CONTINUITY_URL</c> or the default; a bad value there is a usage error too.</summary>
    public static Uri UrlFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("CONTINUITY_URL") is { Length: > 0 } env ? env : DefaultUrl;
        string? error = null;
        return ParseUrl(text, e => error = "CONTINUITY_URL: " + e) ?? throw new UsageException(error!);
    }

    private static Uri? ParseUrl(string text, Action<string> error)
    {
        if (Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return url;
        }

        error($"--url '{text}' is not an http(s) URL");
        return null;
    }
}
