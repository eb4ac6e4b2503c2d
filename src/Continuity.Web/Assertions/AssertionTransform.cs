using Continuity.Web.Proxy;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace Continuity.Web.Assertions;

/// <summary>
/// Strips every client-supplied <c>X-Continuity-*</c> header and the assertion header (whatever its
/// configured name), then adds the gateway's own signed assertion for a signed-in user.
/// </summary>
internal sealed class AssertionTransform(AssertionIssuer issuer, string tenant, string app, string header) : RequestTransform
{
    public const string ReservedPrefix = "X-Continuity-";

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.ProxyRequest.Headers;
        foreach (var name in context.HttpContext.Request.Headers.Keys)
        {
            if (name.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase) || string.Equals(name, header, StringComparison.OrdinalIgnoreCase))
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
