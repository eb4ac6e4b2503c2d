using Yarp.ReverseProxy.Transforms;

namespace Continuity.Web.Assertions;

/// <summary>
/// Strips every client-supplied <c>X-Continuity-*</c> header and the assertion header (whatever its
/// configured name, in any case and with '_' for '-'), then adds the gateway's own signed assertion for a signed-in user.
/// </summary>
internal sealed class AssertionTransform(AssertionIssuer issuer, string tenant, string app, string header) : RequestTransform
{
    public const string ReservedPrefix = "X-Continuity-";

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.ProxyRequest.Headers;
        var reserved = Forwarding.ForwardedHeadersTransform.Normalise(ReservedPrefix);
        var own = Forwarding.ForwardedHeadersTransform.Normalise(header);
        foreach (var name in context.HttpContext.Request.Headers.Keys)
        {
            // Compared as a CGI-style backend reads names (case-blind, '_' as '-'): X_Continuity_Assertion is the assertion there.
            var normalised = Forwarding.ForwardedHeadersTransform.Normalise(name);
            if (normalised.StartsWith(reserved, StringComparison.Ordinal) || string.Equals(normalised, own, StringComparison.Ordinal))
            {
                headers.Remove(name);
                context.ProxyRequest.Content?.Headers.Remove(name);
            }
        }

        if (context.HttpContext.User.Identity?.IsAuthenticated == true && issuer.Issue(context.HttpContext.User, tenant, app) is { } token)
        {
            headers.TryAddWithoutValidation(header, token);
        }

        return ValueTask.CompletedTask;
    }
}
