using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace Continuity.Web.Errors;

/// <summary>
/// Plain pages for what goes wrong between the gateway and a backend, so a user sees what happened
/// instead of an empty response or a hang. Written only when the response has not started.
/// </summary>
internal static class ProxyErrorPages
{
    /// <summary>Around the proxy step: turns YARP's bare 502/503/504 into a page.</summary>
    public static async Task RenderAfterAsync(HttpContext context, Func<Task> next)
    {
        await next().ConfigureAwait(false);
        if (context.Features.Get<IForwarderErrorFeature>() is not { } error || context.Response.HasStarted)
        {
            return;
        }

        var (status, title, text) = error.Error switch
        {
            ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "Every server of this application is down at your provider. Your organisation has been alerted; please try again later."),
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "Gateway timeout",
                "The application did not answer in time. Please try again."),
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient => (0, "", ""),
            _ => (StatusCodes.Status502BadGateway, "Bad gateway",
                "The application could not be reached or gave an invalid answer. Please try again."),
        };

        if (status != 0)
        {
            await WriteAsync(context, status, title, text).ConfigureAwait(false);
        }
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string text)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "30";
        }

        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{status} {WebUtility.HtmlEncode(title)}</title></head>
            <body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p></body></html>
            """;
        return context.Response.WriteAsync(page, context.RequestAborted);
    }
}
