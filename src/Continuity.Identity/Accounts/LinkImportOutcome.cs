namespace Continuity.Identity.Accounts;

/// <summary>The import's answer: the bad rows (nothing was written), or what each row did and the audit record.</summary>
internal sealed record LinkImportOutcome(IReadOnlyList<LinkImportError> Errors, IReadOnlyList<ImportedLink> Rows, long? AuditSeq)
{
    public LinkImportSummary Summary => LinkImportSummary.Of(Rows);
}

internal sealed record LinkImportSummary(int AccountsCreated, int LinksCreated, int LinksExisting, int Conflicts)
{
    public static LinkImportSummary Of(IReadOnlyList<ImportedLink> rows) => new(
        rows.Count(r => r.AccountCreated),
        rows.Count(r => r.Outcome == LinkOutcome.Created),
        rows.Count(r => r.Outcome == LinkOutcome.Existing),
        rows.Count(r => r.Outcome == LinkOutcome.Conflict));
}
