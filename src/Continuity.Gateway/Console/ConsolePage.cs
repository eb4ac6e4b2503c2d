using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Continuity.Gateway.Console;

/// <summary>
/// Base of every console page (set in <c>_ViewImports.cshtml</c>): the page is its own handler, so a page is one file.
/// <see cref="Actor"/> is the admin <see cref="ConsoleAccessFilter"/> let in; <see cref="CanChange"/> decides whether
/// action buttons are drawn (the filter refuses a Viewer's post anyway). <see cref="Notice"/> survives the redirect after
/// a successful post (post/redirect/get); <see cref="Problem"/> is shown on the page that refused.
/// </summary>
public abstract class ConsolePage : Page
{
    internal AdminActor Actor => ConsoleAccessFilter.Actor(HttpContext);

    public string Tenant => Actor.Tenant;

    public string AdminName => Actor.Name;

    public string Role => Actor.Role.ToString();

    public bool CanChange => Actor.CanChange(Actor.Tenant);

    public string? Notice
    {
        get => TempData["notice"] as string;
        set => TempData["notice"] = value;
    }

    public string? Problem { get; set; }

    /// <summary>Shows <paramref name="ex"/>'s message on the page with the status its kind maps to in the admin API.</summary>
    protected void Refused(FailoverException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        Problem = ex.Message;
        Response.StatusCode = ex.Kind switch
        {
            FailoverErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            FailoverErrorKind.NotFound => StatusCodes.Status404NotFound,
            FailoverErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
    }

    protected void Refused(int status, string message)
    {
        Problem = message;
        Response.StatusCode = status;
    }
}
