using Continuity.Identity.Cutoff;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Client.OpenIddictClientEvents;

namespace Continuity.Identity.Federation;

/// <summary>
/// Runs on the redirection endpoint after the state token was validated and just before OpenIddict
/// turns an upstream error into its own generic one: records who was signing in, through which
/// registration, where the user was going, and the upstream's error exactly as sent (<c>error</c>, <c>error_description</c>, <c>error_codes</c>).
/// </summary>
internal sealed class FrontchannelErrorCapture(IHttpContextAccessor accessor) : IOpenIddictClientHandler<ProcessAuthenticationContext>
{
    public static OpenIddictClientHandlerDescriptor Descriptor { get; } =
        OpenIddictClientHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<FrontchannelErrorCapture>()
            .SetOrder(OpenIddictClientHandlers.HandleFrontchannelErrorResponse.Descriptor.Order - 500)
            .SetType(OpenIddictClientHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (accessor.HttpContext is not { } http || context.EndpointType != OpenIddictClientEndpointType.Redirection)
        {
            return default;
        }

        var attempt = Attempt(http);
        attempt.RegistrationId = context.Registration?.RegistrationId;
        attempt.User = context.StateTokenPrincipal?.GetClaim(IdentityDefaults.UserHintClaim);
        attempt.ReturnUrl = context.StateTokenPrincipal?.GetClaim(Claims.TargetLinkUri);
        attempt.Error ??= CutoffClassifier.Read("authorization", context.Request);
        return default;
    }

    internal static UpstreamAttempt Attempt(HttpContext http)
    {
        if (http.Items[UpstreamAttempt.ItemKey] is not UpstreamAttempt attempt)
        {
            attempt = new UpstreamAttempt();
            http.Items[UpstreamAttempt.ItemKey] = attempt;
        }

        return attempt;
    }
}
