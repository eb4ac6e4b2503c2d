namespace Continuity.Core.Configuration;

/// <summary>
/// The one way every options validator of the gateway answers: all errors of a section at once, each a line
/// <c>path: message</c>. A section checked against the tenants derives from this and hands it its static <c>Check</c>
/// (which <c>config check</c> and the tests call without a host); one that stands alone calls
/// <see cref="ConfigurationErrors.Result"/>.
/// </summary>
/// <param name="continuity">The tenants the section is checked against.</param>
/// <param name="check">Every error of the options, each with its configuration path.</param>
public abstract class SectionOptionsValidator<TOptions>(
    IOptions<ContinuityOptions> continuity, Func<TOptions, ContinuityOptions, IReadOnlyCollection<string>> check) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ConfigurationErrors.Result(check(options, continuity.Value));
    }
}

/// <summary>How a validator turns its error list into an answer.</summary>
public static class ConfigurationErrors
{
    /// <summary>Success for no errors; otherwise a failure that lists every one.</summary>
    public static ValidateOptionsResult Result(IReadOnlyCollection<string> errors) =>
        errors is null || errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
