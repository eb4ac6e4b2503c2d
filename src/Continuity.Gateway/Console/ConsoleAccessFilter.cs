using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Continuity.Gateway.Console;

/// <summary>
/// Every console page, before its handler runs: who the signed-in person is as an admin (<see cref="ConsoleAdmin"/>;
/// not an admin of this host's tenant → a 403 page), and a change (any POST) by a Viewer is refused here, whatever the
/// page or the form, so a forged post changes nothing. A form without a valid anti-forgery token never gets this far
/// (Razor Pages refuse it first); its bare 400 becomes a page that says why. A state store that does not answer gives a
/// 503 page, not an exception.
/// </summary>
internal sealed class ConsoleAccessFilter : IAsyncPageFilter, IAlwaysRunResultFilter
{
    private static readonly object ActorKey = new();

    /// <summary>The admin this request was let in as (set before any page handler runs).</summary>
    public static AdminActor Actor(HttpContext http) =>
        http.Items[ActorKey] as AdminActor ?? throw new InvalidOperationException("The console access filter has not run for this request.");

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var admin = await ConsoleAdmin.ResolveAsync(http);
        if (admin.Actor is not { } actor)
        {
            context.Result = ConsoleRefusal.Page(StatusCodes.Status403Forbidden, "Not an admin", admin.Refusal!);
            return;
        }

        http.Items[ActorKey] = actor;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && !actor.CanChange(actor.Tenant) && !ConsoleAdmin.IsSignOut(http.Request.Path))
        {
            context.Result = ConsoleRefusal.Page(StatusCodes.Status403Forbidden, "Viewers change nothing",
                $"{actor.Name} is a Viewer of tenant '{actor.Tenant}': the console shows everything to a Viewer and changes nothing. Nothing was changed.");
            return;
        }

        var executed = await next();
        if (executed.Exception is StateUnavailableException unavailable && !executed.ExceptionHandled)
        {
            executed.ExceptionHandled = true;
            executed.Result = ConsoleRefusal.Page(StatusCodes.Status503ServiceUnavailable, "State store unavailable",
                unavailable.Message + " Routing goes on from this node's last snapshot (fail-static); changes and the audit wait for the store.");
        }
    }

    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = ConsoleRefusal.Page(StatusCodes.Status400BadRequest, "Form refused",
                "This form did not carry this console's anti-forgery token for your session (it came from elsewhere, or your session changed). Nothing was changed: reload the page and try again.");
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
