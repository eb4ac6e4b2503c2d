namespace Continuity.Gateway.Admin.Contracts;

/// <summary>One user of <c>GET /admin/api/tenants/{tenant}/users</c> and the provider they are routed to now.</summary>
internal sealed record DirectoryUser(string Address, string? Provider);

/// <summary>Body of <c>POST /admin/api/tenants/{tenant}/users</c>: addresses to add to the directory.</summary>
internal sealed record UserImportBody(List<string>? Addresses);

/// <summary>How many of the imported addresses were new.</summary>
internal sealed record UserImportAnswer(long Added, int Total);

/// <summary>Body of <c>POST /admin/api/tenants/{tenant}/signals</c>: a monitor reporting a cut-off.</summary>
internal sealed record SignalBody(string? User, string? Provider, string? Source, string? Evidence);

/// <summary>What the signal led to (recorded, suggested, switched, …; lower case).</summary>
internal sealed record SignalAnswer(string Outcome);

/// <summary>The answer of an action on one item (a queued message, an app password): its id and new status.</summary>
internal sealed record ItemStatusAnswer(
    string Id,
    string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Recipients = null);

/// <summary>An <c>application/problem+json</c> answer as the CLI reads it (400 of an import adds <see cref="Errors"/>).</summary>
internal sealed record AdminProblem(string? Title, string? Detail, List<ImportRowError>? Errors);

/// <summary>A bad row of an import: its line and what is wrong.</summary>
internal sealed record ImportRowError(int Line, string Message);
