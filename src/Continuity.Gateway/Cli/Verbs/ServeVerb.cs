using Continuity.Gateway.Hosting;

namespace Continuity.Gateway.Cli.Verbs;

/// <summary>
/// <c>continuity serve</c> (also what <c>continuity</c> with no verb does): validates the whole configuration, then runs
/// the gateway until it is stopped. Besides its own options it passes configuration overrides to ASP.NET Core
/// (<c>--Continuity:Listeners:Management 9090</c>, <c>--Logging:LogLevel:Default=Debug</c>, <c>--environment</c>); any
/// other unknown word is a usage error.
/// </summary>
internal static class ServeVerb
{
    /// <summary>Host settings ASP.NET Core reads from the command line without a section (":" keys are always passed).</summary>
    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "environment", "contentRoot", "applicationName", "http_ports", "https_ports", "hostingStartupAssemblies",
    };

    public static IEnumerable<Command> Create()
    {
        var config = ConfigVerbs.ConfigOption();
        var dataDir = ConfigVerbs.DataDirOption();
        var urls = new Option<string>("--urls")
        {
            Description = "Where the web listener binds, e.g. http://127.0.0.1:8080 (';' between several)",
            HelpName = "URLS",
        };
        var serve = new Command("serve", "Run the gateway (the default verb). Other --Section:Key VALUE pairs override the configuration.")
        {
            config, dataDir, urls,
        };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction(async (parse, _) =>
        {
            var overrides = ConfigurationOverrides(parse.UnmatchedTokens);
            string[] hostArgs = [.. parse.GetValue(urls) is { } u ? ["--urls", u] : Array.Empty<string>(), .. overrides];
            return await ServeAsync(parse.GetValue(config), parse.GetValue(dataDir), hostArgs, parse.InvocationConfiguration.Error);
        });
        return [serve];
    }

    private static async Task<int> ServeAsync(string? configFile, string? dataDir, string[] hostArgs, TextWriter stderr)
    {
        if (configFile is not null && !File.Exists(configFile))
        {
            await stderr.WriteLineAsync($"configuration file not found: {configFile}");
            return ExitCode.Usage;
        }

        // Validate before anything starts (the embedded store, listeners): every error of every part at once.
        var errors = ConfigVerbs.ValidateAll(configFile, dataDir, hostArgs, out _);
        if (errors.Count > 0)
        {
            await stderr.WriteAsync("The configuration is not valid:\n" + string.Concat(errors.Select(e => $"  {e}\n")));
            return ExitCode.Usage;
        }

        // Before any file is made, by this code or a library (Garnet's AOF): new files are the gateway user's only.
        Core.IO.PrivateFiles.RestrictUmask();
        await using var app = GatewayHost.Build(hostArgs, configFile, dataDir);
        await app.RunAsync();
        return ExitCode.Ok;
    }

    /// <summary>
    /// The words serve does not know itself, checked: <c>--Section:Key VALUE</c>, <c>--Section:Key=VALUE</c> or a host key;
    /// anything else (a typo such as <c>--url</c>, a stray word) is a usage error rather than a setting nobody reads.
    /// </summary>
    private static List<string> ConfigurationOverrides(IReadOnlyList<string> words)
    {
        var overrides = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var key = word.StartsWith("--", StringComparison.Ordinal) ? word[2..].Split('=', 2)[0] : "";
            if (key.Length == 0 || !(key.Contains(':', StringComparison.Ordinal) || HostKeys.Contains(key)))
            {
                throw new UsageException($"unrecognized option or argument '{word}' (configuration overrides look like --Section:Key VALUE)");
            }

            overrides.Add(word);
            if (!word.Contains('=', StringComparison.Ordinal))
            {
                overrides.Add(i + 1 < words.Count ? words[++i] : throw new UsageException($"{word} needs a value"));
            }
        }

        return overrides;
    }
}
