namespace Continuity.Gateway.RateLimiting;

/// <summary>Checks <see cref="RateLimitsOptions"/> and reports every error at once, each with its configuration path.</summary>
internal sealed class RateLimitsOptionsValidator : IValidateOptions<RateLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (key, limit) in new[] { ("Login", options.Login), ("Token", options.Token), ("Admin", options.Admin) })
        {
            var path = $"{RateLimitsOptions.SectionName}:{key}";
            if (limit is null)
            {
                errors.Add($"{path}: is missing");
                continue;
            }

            if (limit.PermitLimit < 0)
            {
                errors.Add($"{path}:PermitLimit: must be 0 (no limit) or more");
            }

            if (limit.Window < TimeSpan.FromSeconds(1) || limit.Window > TimeSpan.FromDays(1))
            {
                errors.Add($"{path}:Window: must be between 00:00:01 and 1.00:00:00 (got {limit.Window.ToString("c", CultureInfo.InvariantCulture)})");
            }
        }

        return ConfigurationErrors.Result(errors);
    }
}
