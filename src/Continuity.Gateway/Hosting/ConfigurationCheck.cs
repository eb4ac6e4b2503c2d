using Continuity.Identity.Configuration;
using Continuity.Identity.Validation;
using Continuity.Mail.Configuration;
using Continuity.Mail.Proxy;
using Continuity.Gateway.RateLimiting;
using Continuity.Gateway.Telemetry;
using Continuity.Web.Configuration;

namespace Continuity.Gateway.Hosting;

/// <summary>
/// Every error of the configuration at once, each "path: message", without building the host: nothing is started,
/// no store is needed, no probe runs. Three passes, all reported together:
/// <list type="number">
/// <item>the shape (<see cref="ConfigurationShape"/>): unknown keys, values that do not convert to their type;</item>
/// <item>binding of every section in <see cref="GatewayConfiguration.Sections"/>, without the keys of pass 1, so a bad
/// value reads as its default instead of dropping its tenant or admin (and the errors that follow stay true);</item>
/// <item>the validators the host runs at start (<c>ValidateOnStart</c>), each given the options it is given there.</item>
/// </list>
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>The validators run here: the ones the host registers (checked by <c>GatewayConfigurationTests</c>).</summary>
    public static readonly IReadOnlyList<Type> Validators =
    [
        typeof(ContinuityOptionsValidator), typeof(IdentityOptionsValidator), typeof(AccessTokenOptionsValidator),
        typeof(MailOptionsValidator), typeof(MailAccessOptionsValidator), typeof(MailboxSyncOptionsValidator), typeof(WebOptionsValidator),
        typeof(RateLimitsOptionsValidator), typeof(TelemetryOptionsValidator),
    ];

    public static List<string> Run(IConfiguration configuration) => Run(configuration, out _);

    /// <summary>All errors; <paramref name="bound"/> is what the host would bind, bad values left at their defaults.</summary>
    public static List<string> Run(IConfiguration configuration, out BoundConfiguration bound)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var badKeys = new List<string>();
        var errors = ConfigurationShape.Check(configuration, GatewayConfiguration.Sections, badKeys);
        BoundConfiguration result;
        try
        {
            result = BoundConfiguration.From(Without(configuration, badKeys));
        }
        catch (InvalidOperationException ex)
        {
            // The binder refused a value the shape check let through: say so rather than check defaults.
            bound = BoundConfiguration.From(new ConfigurationBuilder().Build());
            errors.Add($"{ContinuityOptions.SectionName}: {ex.Message}");
            return errors;
        }

        bound = result;
        var continuity = result.Continuity;
        List<string> core = [.. ContinuityOptionsValidator.Check(continuity), .. ContinuityOptionsValidator.CheckStoreSecrets(continuity)];
        errors.AddRange(core);
        var parts = new (string Section, Func<IEnumerable<string>> Check)[]
        {
            (IdentityOptions.SectionName, () => IdentityOptionsValidator.Check(result.Identity, continuity)),
            (AccessTokenOptions.SectionName, () => Failures(new AccessTokenOptionsValidator(Options.Create(result.Identity)).Validate(null, result.AccessTokens))),
            (MailOptions.SectionName, () => MailOptionsValidator.Check(result.Mail, continuity)),
            (MailAccessOptions.SectionName, () => MailAccessOptionsValidator.Check(result.MailAccess, continuity)),
            (MailboxSyncOptions.SectionName, () => MailboxSyncOptionsValidator.Check(result.MailboxSync, continuity)),
            (WebOptions.SectionName, () => Failures(new WebOptionsValidator(Options.Create(continuity)).Validate(null, result.Web))),
            (RateLimitsOptions.SectionName, () => Failures(new RateLimitsOptionsValidator().Validate(null, result.RateLimits))),
            (TelemetryOptions.SectionName, () => Failures(new TelemetryOptionsValidator().Validate(null, result.Telemetry))),
        };
        foreach (var (section, check) in parts)
        {
            try
            {
                errors.AddRange(check().SelectMany(e => e.Split("; ", StringSplitOptions.RemoveEmptyEntries)));
            }
            catch (Exception ex) when (ex is NullReferenceException or ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                // A part's checks assume a sound Continuity:Tenants (no empty tenant or provider); that is reported above.
                if (core.Count == 0)
                {
                    errors.Add($"{section}: cannot be checked ({ex.Message})");
                }
            }
        }

        return errors.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Failures(ValidateOptionsResult result) => result.Failed ? result.Failures ?? [] : [];

    /// <summary>The same values without the keys under <paramref name="badKeys"/>.</summary>
    private static IConfiguration Without(IConfiguration configuration, List<string> badKeys)
    {
        if (badKeys.Count == 0)
        {
            return configuration;
        }

        bool IsBad(string key) => badKeys.Exists(bad =>
            key.Equals(bad, StringComparison.OrdinalIgnoreCase)
            || (key.StartsWith(bad, StringComparison.OrdinalIgnoreCase) && key.Length > bad.Length && key[bad.Length] == ':'));
        return new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.AsEnumerable().Where(kv => kv.Value is not null && !IsBad(kv.Key)))
            .Build();
    }
}

/// <summary>Every bound section, as the host binds it.</summary>
internal sealed record BoundConfiguration(
    ContinuityOptions Continuity, IdentityOptions Identity, AccessTokenOptions AccessTokens, MailOptions Mail,
    MailAccessOptions MailAccess, MailboxSyncOptions MailboxSync, WebOptions Web, CredentialOptions Credentials,
    RateLimitsOptions RateLimits, TelemetryOptions Telemetry)
{
    public static BoundConfiguration From(IConfiguration configuration) => new(
        Bind<ContinuityOptions>(configuration, ContinuityOptions.SectionName),
        Bind<IdentityOptions>(configuration, IdentityOptions.SectionName),
        Bind<AccessTokenOptions>(configuration, AccessTokenOptions.SectionName),
        Bind<MailOptions>(configuration, MailOptions.SectionName),
        Bind<MailAccessOptions>(configuration, MailAccessOptions.SectionName),
        Bind<MailboxSyncOptions>(configuration, MailboxSyncOptions.SectionName),
        Bind<WebOptions>(configuration, WebOptions.SectionName),
        Bind<CredentialOptions>(configuration, CredentialOptions.SectionName),
        Bind<RateLimitsOptions>(configuration, RateLimitsOptions.SectionName),
        Bind<TelemetryOptions>(configuration, TelemetryOptions.SectionName));

    /// <summary>The options object bound at <paramref name="section"/> (one of <see cref="GatewayConfiguration.Sections"/>).</summary>
    public object this[string section] => section switch
    {
        ContinuityOptions.SectionName => Continuity,
        IdentityOptions.SectionName => Identity,
        AccessTokenOptions.SectionName => AccessTokens,
        MailOptions.SectionName => Mail,
        MailAccessOptions.SectionName => MailAccess,
        MailboxSyncOptions.SectionName => MailboxSync,
        WebOptions.SectionName => Web,
        CredentialOptions.SectionName => Credentials,
        RateLimitsOptions.SectionName => RateLimits,
        TelemetryOptions.SectionName => Telemetry,
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, "not a bound section"),
    };

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }
}
