using Continuity.Mail.Queue;

namespace Continuity.Gateway.Admin;

/// <summary>
/// The mail queue of this node (the spool is local to each node): list with filters, show, retry now, delete (audited).
/// An admin sees and acts on <b>their own tenant's recipients only</b>: a message that also goes to another tenant shows
/// only this tenant's recipients (no other tenant's addresses or errors), retry and delete touch only those, and the
/// message stays in the queue for the other tenant's recipients. Counts are this tenant's too.
/// </summary>
internal static class QueueApi
{
    public static IEndpointRouteBuilder MapContinuityQueueApi(this IEndpointRouteBuilder app)
    {
        var queue = app.MapAdminGroup("/queue");
        queue.MapGet("", List);
        queue.MapGet("/{id}", Show);
        queue.MapPost("/{id}/retry", Retry);
        queue.MapDelete("/{id}", Delete);
        return app;
    }

    private static IResult List(HttpContext http, MailQueue queue, string? recipient, string? state, int? limit)
    {
        var tenant = http.User.Actor().Tenant;
        var (count, oldest) = queue.Summary(tenant);
        return AdminRequests.Ok(
            new QueueListing(count, oldest.TotalSeconds, queue.List(tenant, recipient, state, Math.Clamp(limit ?? 100, 1, 1000))),
            AdminJsonContext.Default.QueueListing);
    }

    private static IResult Show(string id, HttpContext http, MailQueue queue) =>
        queue.Show(id, http.User.Actor().Tenant) is { } message ? AdminRequests.Ok(message, AdminJsonContext.Default.QueuedMessageView) : NotFound(id);

    private static IResult Retry(string id, HttpContext http, MailQueue queue)
    {
        var actor = http.User.Actor();
        if (queue.Show(id, actor.Tenant) is null)
        {
            return NotFound(id);
        }

        if (!actor.CanChange(actor.Tenant))
        {
            return AdminRequests.Forbidden("Viewers cannot retry messages.");
        }

        return queue.RetryNow(id, actor.Tenant) ? AdminRequests.Ok(new ItemStatusAnswer(id, "retrying"), AdminJsonContext.Default.ItemStatusAnswer) : NotFound(id);
    }

    private static async Task<IResult> Delete(string id, HttpContext http, MailQueue queue, AuditLog audit, CancellationToken cancellationToken)
    {
        var actor = http.User.Actor();
        if (queue.Show(id, actor.Tenant) is not { } message)
        {
            return NotFound(id);
        }

        if (!actor.CanChange(actor.Tenant))
        {
            return AdminRequests.Forbidden("Viewers cannot delete messages.");
        }

        // Audit first: a deletion that cannot be recorded does not happen, and one refused (the message is being delivered
        // right now) is not recorded. It names this tenant's recipients only.
        QueueDeletion deletion;
        try
        {
            deletion = await queue.DeleteAsync(id, actor.Tenant, () => AuditDeletionAsync(audit, actor, id, message, cancellationToken));
        }
        catch (StateUnavailableException ex)
        {
            return AdminRequests.Problem(StatusCodes.Status503ServiceUnavailable, "State store unavailable", ex.Message + " (deletions are audited, so none happens now)");
        }

        return deletion.Outcome switch
        {
            QueueDeletionOutcome.Deleted => AdminRequests.Ok(new ItemStatusAnswer(id, "deleted", deletion.Recipients), AdminJsonContext.Default.ItemStatusAnswer),
            QueueDeletionOutcome.Busy => AdminRequests.Problem(StatusCodes.Status409Conflict, "Conflict", $"Message '{id}' is being delivered right now; try again."),
            _ => NotFound(id),
        };
    }

    /// <summary>The audit record of a deletion (the admin API and the console write the same one, before deleting).</summary>
    internal static Task<AuditRecord> AuditDeletionAsync(AuditLog audit, AdminActor actor, string id, QueuedMessageView message, CancellationToken cancellationToken = default) =>
        audit.AppendAsync(new AuditEntry(actor.Name, "queue.deleted", actor.Tenant, null, null, null, "deleted from the mail queue",
            $"message {id} from <{message.From}> to {string.Join(", ", message.Recipients.Select(r => r.Address))}"), cancellationToken);

    private static IResult NotFound(string id) => AdminRequests.NotFound($"No message '{id}' in this node's queue.");
}
