namespace Continuity.Gateway.Telemetry;

/// <summary>Checks <see cref="TelemetryOptions"/> and reports every error at once, each with its configuration path.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var path = $"{TelemetryOptions.SectionName}:Otlp";
        if (options.Otlp is not { } otlp)
        {
            return ValidateOptionsResult.Fail($"{path}: is missing");
        }

        if (otlp.Endpoint is { } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host)))
        {
            errors.Add($"{path}:Endpoint: must be an http:// or https:// URL (got '{endpoint}')");
        }

        if (otlp.Interval < TimeSpan.FromSeconds(1) || otlp.Interval > TimeSpan.FromHours(1))
        {
            errors.Add($"{path}:Interval: must be between 00:00:01 and 01:00:00 (got {otlp.Interval.ToString("c", CultureInfo.InvariantCulture)})");
        }

        if (otlp.Headers is { } headers && headers.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(h => h.IndexOf('=', StringComparison.Ordinal) <= 0))
        {
            errors.Add($"{path}:Headers: must be name=value pairs separated by commas");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
