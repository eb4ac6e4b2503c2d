using System.Collections.Frozen;

namespace Continuity.Mail.Imap;

/// <summary>
/// What each pre-login command does in each state. A command missing from a state's row is answered
/// <c>BAD</c> without leaving the state; commands that need a login say so.
/// </summary>
internal static class ImapStateTable
{
    public delegate ValueTask<ImapState> Handler(ImapSession session, ImapCommand command, CancellationToken cancellationToken);

    private static readonly FrozenDictionary<ImapState, FrozenDictionary<string, Handler>> Rows = new Dictionary<ImapState, FrozenDictionary<string, Handler>>
    {
        [ImapState.Plain] = Row(
            ("CAPABILITY", (s, c, t) => s.CapabilityAsync(c, t)),
            ("NOOP", (s, c, t) => s.NoopAsync(c, t)),
            ("ID", (s, c, t) => s.IdAsync(c, t)),
            ("LOGOUT", (s, c, t) => s.LogoutAsync(c, t)),
            ("STARTTLS", (s, c, t) => s.StartTlsAsync(c, t)),
            ("LOGIN", (s, c, t) => s.LoginAsync(c, t)),
            ("AUTHENTICATE", (s, c, t) => s.AuthenticateAsync(c, t))),
        [ImapState.Secure] = Row(
            ("CAPABILITY", (s, c, t) => s.CapabilityAsync(c, t)),
            ("NOOP", (s, c, t) => s.NoopAsync(c, t)),
            ("ID", (s, c, t) => s.IdAsync(c, t)),
            ("LOGOUT", (s, c, t) => s.LogoutAsync(c, t)),
            ("LOGIN", (s, c, t) => s.LoginAsync(c, t)),
            ("AUTHENTICATE", (s, c, t) => s.AuthenticateAsync(c, t))),
    }.ToFrozenDictionary();

    /// <summary>Commands of the authenticated and selected states (RFC 9051 6.3, 6.4): "log in first", not "unknown".</summary>
    private static readonly FrozenSet<string> NeedLogin = FrozenSet.Create(StringComparer.Ordinal,
        "SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "LIST", "LSUB", "NAMESPACE", "STATUS",
        "APPEND", "IDLE", "ENABLE", "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "MOVE", "UID", "CHECK");

    public static Handler? Find(ImapState state, string command) =>
        Rows.TryGetValue(state, out var row) && row.TryGetValue(command, out var handler) ? handler : null;

    public static string Refusal(ImapState state, string command) =>
        command == "STARTTLS" && state == ImapState.Secure ? "TLS is already active"
        : NeedLogin.Contains(command) ? "Log in first"
        : "Unknown command";

    private static FrozenDictionary<string, Handler> Row(params (string Name, Handler Handler)[] entries) =>
        entries.ToFrozenDictionary(e => e.Name, e => e.Handler, StringComparer.Ordinal);
}
