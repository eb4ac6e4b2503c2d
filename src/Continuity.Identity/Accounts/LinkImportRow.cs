namespace Continuity.Identity.Accounts;

/// <summary>One link of an import, with the line of the file it came from.</summary>
/// <param name="Line">1-based line in the uploaded file (for JSON: the line of the entry's opening brace).</param>
/// <param name="Email">The account's address.</param>
/// <param name="Name">Display name for a new account, if given.</param>
/// <param name="Provider">Provider name within the tenant.</param>
/// <param name="Issuer">Upstream issuer; filled with the provider's authority when the row names none.</param>
/// <param name="Subject">The upstream <c>sub</c>.</param>
public sealed record LinkImportRow(int Line, string Email, string? Name, string Provider, string? Issuer, string Subject);

/// <summary>A row that cannot be imported, and why.</summary>
public sealed record LinkImportError(int Line, string Message);

/// <summary>What importing one row did.</summary>
/// <param name="Row">The row.</param>
/// <param name="Outcome"><see cref="LinkOutcome.Created"/>, <see cref="LinkOutcome.Existing"/> or <see cref="LinkOutcome.Conflict"/>.</param>
/// <param name="AccountId">The address's account (null when a conflict left it without one).</param>
/// <param name="AccountCreated">True when this row made the account.</param>
/// <param name="Conflict">Why the row was not imported (conflicts only).</param>
public sealed record ImportedLink(LinkImportRow Row, LinkOutcome Outcome, string? AccountId, bool AccountCreated, string? Conflict);
