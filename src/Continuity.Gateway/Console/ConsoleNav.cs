namespace Continuity.Gateway.Console;

/// <summary>
/// The console's navigation, in order. A new page is its <c>.cshtml</c> under <c>Console/Pages</c> (with
/// <c>@page "/admin/…"</c>) and one line here.
/// </summary>
internal static class ConsoleNav
{
    public static readonly IReadOnlyList<(string Title, string Path)> Items =
    [
        ("Overview", "/admin"),
        ("Users", "/admin/users"),
        ("Approvals", "/admin/approvals"),
        ("Audit", "/admin/audit"),
        ("Mail", "/admin/mail"),
        ("Drills", "/admin/drills"),
    ];

    /// <summary>True when <paramref name="path"/> is <paramref name="item"/>'s page or below it (the Overview only itself).</summary>
    public static bool IsCurrent(string item, PathString path) =>
        item == "/admin" ? path.Equals(item, StringComparison.OrdinalIgnoreCase) || path.Equals("/admin/", StringComparison.OrdinalIgnoreCase)
            : path.StartsWithSegments(item, StringComparison.OrdinalIgnoreCase);
}
