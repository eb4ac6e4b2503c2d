using Continuity.Identity.Configuration;
using Continuity.Identity.Validation;
using Continuity.Mail.Configuration;
using Continuity.Mail.Proxy;
using Continuity.Web.Configuration;

namespace Continuity.Gateway.Hosting;

/// <summary>
/// Builds the configuration the way <c>serve</c> and <c>config check</c> both see it:
/// appsettings.json (next to the executable), appsettings.{Environment}.json, the optional
/// <c>--config FILE</c>, environment variables, then command-line <c>--Continuity:…</c> overrides.
/// </summary>
internal static class GatewayConfiguration
{
    /// <summary>
    /// Every section of the configuration that is bound to an options type, and nothing else is read under
    /// <c>Continuity</c>: a key that none of these types has is an error (<see cref="ConfigurationShape"/>).
    /// A part that binds a new section adds it here; <c>GatewayConfigurationTests</c> checks that every section the
    /// host binds is listed.
    /// </summary>
    public static readonly IReadOnlyList<BoundSection> Sections =
    [
        new(ContinuityOptions.SectionName, typeof(ContinuityOptions)),
        new(IdentityOptions.SectionName, typeof(IdentityOptions)),
        new(AccessTokenOptions.SectionName, typeof(AccessTokenOptions)),
        new(MailOptions.SectionName, typeof(MailOptions)),
        new(MailAccessOptions.SectionName, typeof(MailAccessOptions)),
        new(MailboxSyncOptions.SectionName, typeof(MailboxSyncOptions)),
        new(WebOptions.SectionName, typeof(WebOptions)),
        new(CredentialOptions.SectionName, typeof(CredentialOptions)),
        new(RateLimiting.RateLimitsOptions.SectionName, typeof(RateLimiting.RateLimitsOptions)),
        new(Telemetry.TelemetryOptions.SectionName, typeof(Telemetry.TelemetryOptions)),
    ];

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

    /// <summary>
    /// The <c>Continuity</c> section bound, for the few settings the host needs before its services exist (the data
    /// directory, the listeners). Runs after <see cref="ConfigurationCheck"/> accepted the configuration, so binding
    /// cannot fail on a bad value.
    /// </summary>
    public static ContinuityOptions Bind(IConfiguration configuration)
    {
        var options = new ContinuityOptions();
        configuration.GetSection(ContinuityOptions.SectionName).Bind(options);
        return options;
    }

    /// <summary>
    /// The configuration as the host will see it (<see cref="GatewayHost.Build"/> adds the same sources in the same
    /// order), or the reason it cannot be read: a JSON file that does not parse is named with its line and column.
    /// </summary>
    public static IConfiguration Load(string? configFile, string? dataDir, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true);
        Apply(builder, configFile, dataDir);
        builder.AddCommandLine(args.SkipWhile(a => a == "serve").Where(a => a.StartsWith("--Continuity", StringComparison.Ordinal)).ToArray());
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationLoadException(Describe(ex), ex);
        }
        catch (FileNotFoundException ex)
        {
            throw new ConfigurationLoadException($"configuration file not found: {ex.FileName ?? configFile}", ex);
        }
    }

    /// <summary>"FILE, line L, column C: what is wrong", from the JSON provider's "Failed to load configuration from file …".</summary>
    private static string Describe(InvalidDataException ex)
    {
        var file = ex.Message.Split('\'') is [_, var name, ..] ? name : "the configuration";
        var json = ex.InnerException?.InnerException as JsonException ?? ex.InnerException as JsonException;
        if (json is { LineNumber: { } line })
        {
            return $"{file}, line {line + 1}, column {(json.BytePositionInLine ?? 0) + 1}: not valid JSON: {FirstSentence(json.Message)}";
        }

        return ex.InnerException is { } inner ? $"{file}: {inner.Message}" : ex.Message;
    }

    /// <summary>System.Text.Json ends its messages with "[Path: $ |] LineNumber: 2 | BytePositionInLine: 4."; the place is said already.</summary>
    private static string FirstSentence(string message)
    {
        foreach (var tail in new[] { " Path: ", " LineNumber: " })
        {
            if (message.IndexOf(tail, StringComparison.Ordinal) is var i and > 0)
            {
                message = message[..i];
            }
        }

        return message;
    }
}

/// <summary>The configuration cannot be read at all (a file that does not parse or is missing); the message says where.</summary>
internal sealed class ConfigurationLoadException(string message, Exception inner) : Exception(message, inner);
