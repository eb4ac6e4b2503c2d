using Continuity.Gateway.Hosting;

namespace Continuity.Gateway.Cli;

/// <summary>
/// <c>config check</c> and <c>config show</c>: the configuration as <c>serve</c> would read it, checked without
/// building the host (nothing starts, no store is needed, no probe runs). An invalid configuration exits 2, as
/// <c>serve</c> does with the same list.
/// </summary>
internal static partial class ContinuityCli
{
    private static int ConfigCheck(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var configFile = cli["config"];
        if (configFile is not null && !File.Exists(configFile))
        {
            stderr.WriteLine($"configuration file not found: {configFile}");
            return Usage;
        }

        var errors = ValidateAll(configFile, cli["data-dir"], [], out var bound);
        if (errors.Count > 0)
        {
            stderr.WriteLine($"The configuration is not valid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):");
            errors.ForEach(e => stderr.WriteLine($"  {e}"));
            return Usage;
        }

        stdout.WriteLine($"configuration OK: {bound!.Continuity.Tenants.Count} tenant(s), state {(bound.Continuity.State.Redis is null ? "embedded" : "external")}");
        return Ok;
    }

    /// <summary>The effective configuration, secrets redacted (<see cref="EffectiveConfiguration"/>); refused while a value cannot be read.</summary>
    private static int ConfigShow(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var configFile = cli["config"];
        if (configFile is not null && !File.Exists(configFile))
        {
            stderr.WriteLine($"configuration file not found: {configFile}");
            return Usage;
        }

        IConfiguration configuration;
        try
        {
            configuration = GatewayConfiguration.Load(configFile, cli["data-dir"], []);
        }
        catch (ConfigurationLoadException ex)
        {
            stderr.WriteLine($"The configuration cannot be read:\n  {ex.Message}");
            return Usage;
        }

        var errors = ConfigurationCheck.Run(configuration, out var bound);
        stdout.WriteLine(EffectiveConfiguration.ToJson(bound));
        if (errors.Count > 0)
        {
            // Shown anyway (a value that does not convert is shown at its default): the list says what is wrong.
            stderr.WriteLine($"The configuration is not valid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}), see 'continuity config check':");
            errors.ForEach(e => stderr.WriteLine($"  {e}"));
            return Usage;
        }

        return Ok;
    }

    /// <summary>Every configuration error of every part (Core, identity, mail, mail access, sync, web), each with its path.</summary>
    private static List<string> ValidateAll(string? configFile, string? dataDir, string[] args) => ValidateAll(configFile, dataDir, args, out _);

    private static List<string> ValidateAll(string? configFile, string? dataDir, string[] args, out BoundConfiguration? bound)
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
}
