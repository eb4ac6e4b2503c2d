using Continuity.Core.Configuration;

namespace Continuity.Gateway.Hosting;

/// <summary>
/// Builds the configuration the way <c>serve</c> and <c>config check</c> both see it:
/// appsettings.json (next to the executable), appsettings.{Environment}.json, the optional
/// <c>--config FILE</c>, environment variables, then command-line <c>--Continuity:…</c> overrides.
/// </summary>
internal static class GatewayConfiguration
{
    public static void Apply(IConfigurationBuilder builder, string? configFile, string? dataDir)
    {
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        if (dataDir is not null)
        {
            builder.AddInMemoryCollection([new($"{ContinuityOptions.SectionName}:DataDir", Path.GetFullPath(dataDir))]);
        }
    }

    public static ContinuityOptions Bind(IConfiguration configuration)
    {
        var options = new ContinuityOptions();
        configuration.GetSection(ContinuityOptions.SectionName).Bind(options);
        return options;
    }
}
