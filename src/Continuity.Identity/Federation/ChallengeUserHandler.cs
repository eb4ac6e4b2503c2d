using static OpenIddict.Client.OpenIddictClientEvents;

namespace Continuity.Identity.Federation;

/// <summary>
/// Puts the address the user typed into the upstream state token, so that when the upstream refuses
/// the login the refusal can be attributed to that user (the upstream's error names nobody).
/// </summary>
internal sealed class ChallengeUserHandler : IOpenIddictClientHandler<ProcessChallengeContext>
{
    public static OpenIddictClientHandlerDescriptor Descriptor { get; } =
        OpenIddictClientHandlerDescriptor.CreateBuilder<ProcessChallengeContext>()
            .UseSingletonHandler<ChallengeUserHandler>()
            .SetOrder(OpenIddictClientHandlers.PrepareLoginStateTokenPrincipal.Descriptor.Order + 500)
            .SetType(OpenIddictClientHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.StateTokenPrincipal is { } principal && !string.IsNullOrEmpty(context.LoginHint))
        {
            principal.SetClaim(IdentityDefaults.UserHintClaim, context.LoginHint);
        }

        return default;
    }
}
