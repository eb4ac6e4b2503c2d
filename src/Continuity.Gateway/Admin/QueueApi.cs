using Continuity.Core.Audit;
using Continuity.Core.State;
using Continuity.Mail.Queue;

namespace Continuity.Gateway.Admin;

/// <summary>
/// The mail queue of this node (the spool is local to each node): list with filters, show, retry
/// now, delete (audited). An admin sees only messages with a recipient of their own tenant.
/// </summary>
internal static class QueueApi
{
    public static IEndpointRouteBuilder MapContinuityQueueApi(this IEndpointRouteBuilder app)
    {
        var queue = app.MapGroup("/admin/api/queue").RequireAuthorization(AdminPolicy.Name);
        queue.MapGet("", List);
        queue.MapGet("/{id}", Show);
        queue.MapPost("/{id}/retry", Retry);
        queue.MapDelete("/{id}", Delete);
        return app;
    }

    private static IResult List(HttpContext http, MailQueue queue, string? recipient, string? state, int? limit) =>
        Results.Ok(new
        {
            count = queue.Count,
            oldestAgeSeconds = queue.OldestAge.TotalSeconds,
            messages = queue.List(http.User.Actor().Tenant, recipient, state, Math.Clamp(limit ?? 100, 1, 1000)),
        });

    private static IResult Show(string id, HttpContext http, MailQueue queue) =>
        Visible(queue.Show(id), http) is { } message ? Results.Ok(message) : AdminRequests.NotFound($"No message '{id}' in this node's queue.");

    private static IResult Retry(string id, HttpContext http, MailQueue queue)
    {
        var actor = http.User.Actor();
        if (Visible(queue.Show(id), http) is null)
        {
            return AdminRequests.NotFound($"No message '{id}' in this node's queue.");
        }

        if (!actor.CanChange(actor.Tenant))
        {
            return AdminRequests.Forbidden("Viewers cannot retry messages.");
        }

        return queue.RetryNow(id) ? Results.Ok(new { id, status = "retrying" }) : AdminRequests.NotFound($"No message '{id}' in this node's queue.");
    }

    private static async Task<IResult> Delete(string id, HttpContext http, MailQueue queue, AuditLog audit)
    {
        var actor = http.User.Actor();
        if (Visible(queue.Show(id), http) is not { } message)
        {
            return AdminRequests.NotFound($"No message '{id}' in this node's queue.");
        }

        if (!actor.CanChange(actor.Tenant))
        {
            return AdminRequests.Forbidden("Viewers cannot delete messages.");
        }

        // Audit first: a deletion that cannot be recorded does not happen.
        try
        {
            await audit.AppendAsync(new AuditEntry(actor.Name, "queue.deleted", actor.Tenant, null, null, null, "deleted from the mail queue",
                $"message {id} from <{message.From}> to {string.Join(", ", message.Recipients.Select(r => r.Address))}"));
        }
        catch (StateUnavailableException ex)
        {
            return AdminRequests.Problem(StatusCodes.Status503ServiceUnavailable, "State store unavailable", ex.Message + " (deletions are audited, so none happens now)");
        }

        return queue.Delete(id)
            ? Results.Ok(new { id, status = "deleted" })
            : AdminRequests.Problem(StatusCodes.Status409Conflict, "Conflict", $"Message '{id}' is being delivered right now; try again.");
    }

    private static QueuedMessageView? Visible(QueuedMessageView? message, HttpContext http)
    {
        var tenant = http.User.Actor().Tenant;
        return message is not null && message.Recipients.Any(r => string.Equals(r.Tenant, tenant, StringComparison.OrdinalIgnoreCase)) ? message : null;
    }
}
