using Microsoft.Extensions.Options;

namespace Continuity.Core.Configuration;

/// <summary>
/// The one way every options validator of the gateway answers: all errors of a section at once, each a line
/// <c>path: message</c>. A section checked against the tenants derives from this and supplies its error list;
/// one that stands alone calls <see cref="ConfigurationErrors.Result"/>.
/// </summary>
public abstract class SectionOptionsValidator<TOptions>(IOptions<ContinuityOptions> continuity) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) => ConfigurationErrors.Result(Errors(options, continuity.Value));

    /// <summary>Every error of <paramref name="options"/>, each with its configuration path.</summary>
    protected abstract IReadOnlyCollection<string> Errors(TOptions options, ContinuityOptions continuity);
}

/// <summary>How a validator turns its error list into an answer.</summary>
public static class ConfigurationErrors
{
    /// <summary>Success for no errors; otherwise a failure that lists every one.</summary>
    public static ValidateOptionsResult Result(IReadOnlyCollection<string> errors) =>
        errors is null || errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
