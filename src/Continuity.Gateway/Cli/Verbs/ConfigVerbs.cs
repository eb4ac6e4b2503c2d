using Continuity.Gateway.Hosting;

namespace Continuity.Gateway.Cli.Verbs;

/// <summary>
/// <c>config check</c> and <c>config show</c>: the configuration as <c>serve</c> would read it, checked without
/// building the host (nothing starts, no store is needed, no probe runs). An invalid configuration exits 2, as
/// <c>serve</c> does with the same list.
/// </summary>
internal static class ConfigVerbs
{
    public static Option<string> ConfigOption() => new("--config")
    {
        Description = "The configuration file (JSON); environment variables CONTINUITY__… still apply",
        HelpName = "FILE",
    };

    public static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "The data directory (keys, the embedded store, the route snapshot, the mail spool)",
        HelpName = "DIR",
    };

    public static IEnumerable<Command> Create()
    {
        var config = ConfigOption();
        var dataDir = DataDirOption();
        var check = new Command("check", "Check the configuration: every error with its path; exit 2 if any") { config, dataDir }
            .Runs(c => Task.FromResult(Check(c, c.Get(config), c.Get(dataDir))));
        var show = new Command("show", "Print the effective configuration as JSON, secrets redacted") { config, dataDir }
            .Runs(c => Task.FromResult(Show(c, c.Get(config), c.Get(dataDir))));
        return [new Command("config", "Check or show the gateway's configuration (nothing starts)") { check, show }];
    }

    /// <summary>Every configuration error of every part (Core, identity, mail, mail access, sync, web), each with its path.</summary>
    public static List<string> ValidateAll(string? configFile, string? dataDir, string[] args, out BoundConfiguration? bound)
    {
        bound = null;
        IConfiguration configuration;
        try
        {
            configuration = GatewayConfiguration.Load(configFile, dataDir, args);
        }
        catch (ConfigurationLoadException ex)
        {
            return [ex.Message];
        }

        var errors = ConfigurationCheck.Run(configuration, out var result);
        bound = result;
        return errors;
    }

    private static int Check(CliContext c, string? configFile, string? dataDir)
    {
        if (Missing(c, configFile))
        {
            return ExitCode.Usage;
        }

        var errors = ValidateAll(configFile, dataDir, [], out var bound);
        if (errors.Count > 0)
        {
            c.Error.WriteLine($"The configuration is not valid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):");
            errors.ForEach(e => c.Error.WriteLine($"  {e}"));
            return ExitCode.Usage;
        }

        c.Out.WriteLine($"configuration OK: {bound!.Continuity.Tenants.Count} tenant(s), state {(bound.Continuity.State.Redis is null ? "embedded" : "external")}");
        return ExitCode.Ok;
    }

    /// <summary>The effective configuration, secrets redacted (<see cref="EffectiveConfiguration"/>); refused while a value cannot be read.</summary>
    private static int Show(CliContext c, string? configFile, string? dataDir)
    {
        if (Missing(c, configFile))
        {
            return ExitCode.Usage;
        }

        IConfiguration configuration;
        try
        {
            configuration = GatewayConfiguration.Load(configFile, dataDir, []);
        }
        catch (ConfigurationLoadException ex)
        {
            c.Error.WriteLine($"The configuration cannot be read:\n  {ex.Message}");
            return ExitCode.Usage;
        }

        var errors = ConfigurationCheck.Run(configuration, out var bound);
        c.Out.WriteLine(EffectiveConfiguration.ToJson(bound));
        if (errors.Count > 0)
        {
            // Shown anyway (a value that does not convert is shown at its default): the list says what is wrong.
            c.Error.WriteLine($"The configuration is not valid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}), see 'continuity config check':");
            errors.ForEach(e => c.Error.WriteLine($"  {e}"));
            return ExitCode.Usage;
        }

        return ExitCode.Ok;
    }

    private static bool Missing(CliContext c, string? configFile)
    {
        if (configFile is not null && !File.Exists(configFile))
        {
            c.Error.WriteLine($"configuration file not found: {configFile}");
            return true;
        }

        return false;
    }
}
