using Continuity.Core.Audit;

namespace Continuity.Identity.Accounts;

/// <summary>
/// Imports account links from a directory export (<see cref="LinkImportParser"/>): every row is checked
/// against the tenant first (its domains, its providers with an identity upstream, the provider's issuer,
/// no subject claimed twice in the file), and if any row is bad nothing is written. Then all links are
/// written in one atomic script; a row that conflicts with a link of another account is reported, not
/// written. One audit record per import, with the counts.
/// </summary>
internal sealed partial class AccountImporter(AccountStore accounts, AuditLog audit, IOptions<ContinuityOptions> continuity, ILogger<AccountImporter> logger)
{
    public const string AuditAction = "identity.links.imported";

    /// <summary>
    /// Parses and checks <paramref name="body"/> without writing anything: the bad rows (none when it would import),
    /// and how many rows it holds. For an import that must wait for a second admin: a bad file is refused at once.
    /// </summary>
    public (IReadOnlyList<LinkImportError> Errors, int Rows) Validate(string tenant, ReadOnlyMemory<byte> body, bool json)
    {
        var (rows, errors) = Prepare(tenant, body, json);
        return ([.. errors.OrderBy(e => e.Line)], rows.Count);
    }

    /// <summary>
    /// Parses <paramref name="body"/> as JSON (when <paramref name="json"/>) or CSV and imports it. <paramref name="approval"/>
    /// (e.g. "request … approved by …") goes into the audit record when the import waited for the two-person rule.
    /// </summary>
    public async Task<LinkImportOutcome> ImportAsync(string actor, string tenant, ReadOnlyMemory<byte> body, bool json, string? approval = null, CancellationToken cancellationToken = default)
    {
        var (checkedRows, errors) = Prepare(tenant, body, json);
        if (errors.Count > 0)
        {
            return new LinkImportOutcome([.. errors.OrderBy(e => e.Line)], [], null);
        }

        var imported = await accounts.ImportAsync(tenant, checkedRows, cancellationToken);
        var summary = LinkImportSummary.Of(imported);
        Log.Imported(logger, tenant, summary.LinksCreated, summary.LinksExisting, summary.Conflicts);
        var record = await audit.AppendAsync(new AuditEntry(actor, AuditAction, tenant, null, null, null, "account links imported",
            $"rows {imported.Count}; accounts created {summary.AccountsCreated}; links created {summary.LinksCreated}, existing {summary.LinksExisting}, conflicts {summary.Conflicts}"
            + (summary.Conflicts > 0 ? "; conflict lines " + string.Join(",", imported.Where(i => i.Outcome == LinkOutcome.Conflict).Select(i => i.Row.Line).Distinct().Take(50)) : "")
            + (approval is null ? "" : "; " + approval)), CancellationToken.None);
        return new LinkImportOutcome([], imported, record.Seq);
    }

    private (List<LinkImportRow> Rows, List<LinkImportError> Errors) Prepare(string tenant, ReadOnlyMemory<byte> body, bool json)
    {
        var bytes = body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body;
        var (rows, errors) = json
            ? LinkImportParser.ParseJson(bytes.Span)
            : LinkImportParser.ParseCsv(Encoding.UTF8.GetString(bytes.Span));
        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add(new LinkImportError(1, "the file holds no links"));
        }

        var checkedRows = Check(tenant, rows, errors);
        return (checkedRows, errors);
    }

    private List<LinkImportRow> Check(string tenantId, List<LinkImportRow> rows, List<LinkImportError> errors)
    {
        if (!continuity.Value.Tenants.TryGetValue(tenantId, out var tenant))
        {
            errors.Add(new LinkImportError(0, $"no tenant '{tenantId}'"));
            return [];
        }

        var result = new List<LinkImportRow>(rows.Count);
        var subjects = new Dictionary<(string Provider, string Subject), LinkImportRow>();
        var slots = new Dictionary<(string Email, string Provider), LinkImportRow>();
        foreach (var row in rows)
        {
            if (!tenant.OwnsAddress(row.Email))
            {
                errors.Add(new LinkImportError(row.Line, $"'{row.Email}' is not in the tenant's domains ({string.Join(", ", tenant.Domains)})"));
                continue;
            }

            if (tenant.FindProvider(row.Provider) is not { } provider || tenant.Providers[provider]?.Identity is not { } upstream)
            {
                var names = tenant.Providers.Where(p => p.Value?.Identity is not null).Select(p => p.Key);
                errors.Add(new LinkImportError(row.Line, $"'{row.Provider}' is not a provider of the tenant with an identity upstream ({string.Join(", ", names)})"));
                continue;
            }

            // Links are looked up by the configured authority (see CallbackEndpoint): another issuer would never match.
            if (row.Issuer is { } issuer && !SameIssuer(issuer, upstream.Authority))
            {
                errors.Add(new LinkImportError(row.Line, $"issuer '{issuer}' is not provider '{provider}''s authority '{upstream.Authority}'"));
                continue;
            }

            var normalized = row with { Provider = provider, Issuer = upstream.Authority };
            if (subjects.TryGetValue((provider, row.Subject), out var first) && first.Email != row.Email)
            {
                errors.Add(new LinkImportError(row.Line, $"subject '{row.Subject}' of '{provider}' is also given for {first.Email} on line {first.Line}"));
                continue;
            }

            if (slots.TryGetValue((row.Email, provider), out var other) && other.Subject != row.Subject)
            {
                errors.Add(new LinkImportError(row.Line, $"{row.Email} already has subject '{other.Subject}' of '{provider}' on line {other.Line} (one subject per upstream)"));
                continue;
            }

            if (subjects.TryAdd((provider, row.Subject), normalized) | slots.TryAdd((row.Email, provider), normalized))
            {
                result.Add(normalized);
            }
        }

        return result;
    }

    private static bool SameIssuer(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);
}
