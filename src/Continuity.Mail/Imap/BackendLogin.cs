namespace Continuity.Mail.Imap;

/// <summary>How logging in to the backend went.</summary>
internal enum BackendLoginStatus
{
    /// <summary>Logged in; <see cref="BackendLogin.Stream"/> is ready to splice and <see cref="BackendLogin.Response"/> goes to the client.</summary>
    LoggedIn,

    /// <summary>The backend answered the login with NO (for XOAUTH2: also with a fresh app token): it does not serve this user (any more).</summary>
    Refused,

    /// <summary>Could not connect, bad greeting, timeout, or a protocol error.</summary>
    Unreachable,

    /// <summary>The provider's token endpoint gave no app token (refused the gateway's client credentials, or unreachable); the backend was not contacted.</summary>
    NoAppToken,
}

/// <summary>The result of <see cref="ImapBackend.LoginAsync"/>.</summary>
/// <param name="Evidence">The backend's refusal or the failure, for logs and the cut-off signal (never a secret).</param>
internal sealed record BackendLogin(BackendLoginStatus Status, Stream? Stream = null, byte[]? Response = null, string? Evidence = null);
