using Continuity.Identity.Accounts;

namespace Continuity.Gateway.Admin;

/// <summary>
/// Gateway accounts under <c>/admin/api/tenants/{tenant}/accounts</c>: import account links from a
/// directory export (JSON or CSV; all-or-nothing on bad rows, conflicts reported per row), show an
/// account with its links, and revoke a user's sessions, tokens and authorizations. Audited.
/// </summary>
internal static class AccountsApi
{
    /// <summary>Largest import. A CSV row is ~100 bytes: 4 MB holds the 20 000 links one import may carry.</summary>
    public const int MaxImportBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapContinuityIdentityAdmin(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapAdminGroup("/tenants/{tenant}/accounts")
            .AddEndpointFilter(async (context, next) =>
            {
                try
                {
                    return await next(context);
                }
                catch (StateUnavailableException ex)
                {
                    return AdminRequests.Problem(StatusCodes.Status503ServiceUnavailable, "State store unavailable", ex.Message + " Nothing was changed, or the change was not audited: check the account.");
                }
            });
        accounts.MapPost("/import", ImportAsync);
        accounts.MapGet("/{email}", ShowAsync);
        accounts.MapPost("/{email}/revoke", RevokeAsync);
        return app;
    }

    private static async Task<IResult> ImportAsync(
        string tenant, HttpContext http, TenantDirectory tenants, AccountImporter importer, FailoverService failover, CancellationToken cancellationToken)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants, change: true) is { } denied)
        {
            return denied;
        }

        // JSON or CSV only: text/plain (like form types) is a "simple" content type that a page of another origin may post
        // without a preflight, so it never reaches an import (issue 16, item 3).
        var type = MediaType(http.Request.ContentType);
        var json = type == "application/json";
        if (!json && type != "text/csv")
        {
            return AdminRequests.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the export as application/json ([{email, name?, links:[{provider, issuer?, subject}]}]) or text/csv (email,provider,subject[,name]).");
        }

        if (await ReadBoundedAsync(http.Request, MaxImportBytes) is not { } body)
        {
            return AdminRequests.Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"Imports are limited to {MaxImportBytes / (1024 * 1024)} MB; split the file.");
        }

        if (tenants.Find(tenant)!.Failover.Approvals >= 2)
        {
            // Two-person rule (issue 16, item 6): a link decides whose account an upstream identity signs in to.
            var (errors, rows) = importer.Validate(tenant, body, json);
            if (errors.Count > 0)
            {
                return BadRows(errors);
            }

            var request = await failover.RequestActionAsync(http.User.Actor(), tenant, null, AccountImportApproval.KindName,
                $"account link import: {rows} row(s)", json ? "json" : "csv", body, cancellationToken);
            return AdminRequests.Accepted(http, $"/admin/api/approvals/{request.Id}",
                new AccountImportAnswer("pending", tenant, rows, request, null, null, null, null, null), AdminJsonContext.Default.AccountImportAnswer);
        }

        var outcome = await importer.ImportAsync(http.User.Actor().Name, tenant, body, json, cancellationToken: cancellationToken);
        if (outcome.Errors.Count > 0)
        {
            return BadRows(outcome.Errors);
        }

        var summary = outcome.Summary;
        var conflicts = outcome.Rows.Where(r => r.Outcome == LinkOutcome.Conflict)
            .Select(r => new ImportConflict(r.Row.Line, r.Row.Email, r.Row.Provider, r.Row.Subject, r.Conflict)).ToList();
        return AdminRequests.Ok(
            new AccountImportAnswer(null, tenant, outcome.Rows.Count, null, summary.AccountsCreated, summary.LinksCreated, summary.LinksExisting, conflicts, outcome.AuditSeq),
            AdminJsonContext.Default.AccountImportAnswer);
    }

    private static async Task<IResult> ShowAsync(string tenant, string email, HttpContext http, TenantDirectory tenants, AccountStore accounts, CancellationToken cancellationToken)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants) is { } denied)
        {
            return denied;
        }

        if (await accounts.FindByEmailAsync(tenant, email.Trim(), cancellationToken) is not { } account)
        {
            return AdminRequests.NotFound($"No account for '{email}' in tenant '{tenant}' (accounts are made by import or at a first verified login).");
        }

        var links = await accounts.ListLinksAsync(tenant, account.Id, cancellationToken);
        var revokedAt = await accounts.GetSessionsRevokedAtAsync(tenant, account.Id, cancellationToken);
        return AdminRequests.Ok(
            new AccountView(account.Id, tenant, account.Email, account.Name, [.. links.Select(l => new AccountLinkView(l.Provider, l.Issuer, l.Subject))], revokedAt),
            AdminJsonContext.Default.AccountView);
    }

    private static async Task<IResult> RevokeAsync(string tenant, string email, HttpContext http, TenantDirectory tenants, AccountRevoker revoker, CancellationToken cancellationToken)
    {
        if (AdminRequests.DenyTenant(tenant, http, tenants, change: true) is { } denied)
        {
            return denied;
        }

        var (body, problem) = await AdminRequests.ReadBodyAsync(http.Request, AdminJsonContext.Default.RevokeBody);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.Reason) || body.Reason.Length > 500)
        {
            return AdminRequests.BadRequest("'reason' is required (at most 500 characters): it goes into the audit log.");
        }

        var result = await revoker.RevokeAsync(http.User.Actor().Name, tenant, email.Trim(), body.Reason.Trim(), cancellationToken);
        return result is null
            ? AdminRequests.NotFound($"No account for '{email}' in tenant '{tenant}'.")
            : AdminRequests.Ok(
                new AccountRevokeAnswer(result.Account.Id, result.Account.Email, result.SessionsRevokedAt, result.Tokens, result.Authorizations, result.AuditSeq),
                AdminJsonContext.Default.AccountRevokeAnswer);
    }

    private static IResult BadRows(IReadOnlyList<LinkImportError> errors) =>
        Results.Problem(
            detail: $"{errors.Count} bad row(s); nothing was imported.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Bad request",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(e => new ImportRowError(e.Line, e.Message)).ToList() });

    /// <summary>The media type without parameters, lower case ("" when absent or unparsable).</summary>
    private static string MediaType(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() ?? "" : "";

    private static async Task<ReadOnlyMemory<byte>?> ReadBoundedAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
