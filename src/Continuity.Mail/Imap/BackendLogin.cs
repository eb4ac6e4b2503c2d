namespace Continuity.Mail.Imap;

/// <summary>How logging in to the backend went.</summary>
internal enum BackendLoginStatus
{
    /// <summary>Logged in; <see cref="BackendLogin.Stream"/> is ready to splice and <see cref="BackendLogin.Response"/> goes to the client.</summary>
    LoggedIn,

    /// <summary>The backend answered the master login with NO: it does not serve this user (any more).</summary>
    Refused,

    /// <summary>Could not connect, bad greeting, timeout, or a protocol error.</summary>
    Unreachable,
}

/// <summary>The result of <see cref="ImapBackend.LoginAsync"/>.</summary>
/// <param name="Evidence">The backend's refusal or the failure, for logs and the cut-off signal (never a secret).</param>
internal sealed record BackendLogin(BackendLoginStatus Status, Stream? Stream = null, byte[]? Response = null, string? Evidence = null);
