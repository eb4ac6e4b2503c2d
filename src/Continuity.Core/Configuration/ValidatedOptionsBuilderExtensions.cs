using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Continuity.Core.Configuration;

/// <summary>How every part registers the validation of its options section.</summary>
public static class ValidatedOptionsBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TValidator"/> for the options (once, however often the part is added) and checks
    /// them when the host starts, so a bad file stops the start with every error listed, not a first request later.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateOnStartWith<TOptions, TValidator>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return builder.ValidateOnStart();
    }
}
