using Continuity.Identity.Cutoff;
using static OpenIddict.Client.OpenIddictClientEvents;

namespace Continuity.Identity.Federation;

/// <summary>
/// Runs first on the upstream's token response: an error there (Entra sends <c>error_codes</c> and
/// <c>AADSTSnnnn</c> in the description) is recorded as sent, before OpenIddict rewrites it.
/// </summary>
internal sealed class TokenErrorCapture(IHttpContextAccessor accessor) : IOpenIddictClientHandler<HandleTokenResponseContext>
{
    public static OpenIddictClientHandlerDescriptor Descriptor { get; } =
        OpenIddictClientHandlerDescriptor.CreateBuilder<HandleTokenResponseContext>()
            .UseSingletonHandler<TokenErrorCapture>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictClientHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (accessor.HttpContext is { } http && CutoffClassifier.Read("token", context.Response) is { } error)
        {
            FrontchannelErrorCapture.Attempt(http).Error = error;
        }

        return default;
    }
}
