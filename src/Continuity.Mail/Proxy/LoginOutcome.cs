namespace Continuity.Mail.Proxy;

/// <summary>
/// The result of <see cref="MailLogin.AuthenticateAsync"/>: what the attempt came to and, exactly when it succeeded,
/// the <see cref="MailAccount"/> that logged in.
/// </summary>
internal sealed record LoginOutcome
{
    public static readonly LoginOutcome Failed = new(LoginResult.Failed, null);
    public static readonly LoginOutcome Throttled = new(LoginResult.Throttled, null);
    public static readonly LoginOutcome Unavailable = new(LoginResult.Unavailable, null);

    private LoginOutcome(LoginResult result, MailAccount? account)
    {
        Result = result;
        Account = account;
    }

    public LoginResult Result { get; }

    /// <summary>Who logged in; set when <see cref="Result"/> is <see cref="LoginResult.Success"/>, null otherwise.</summary>
    public MailAccount? Account { get; }

    public static LoginOutcome Success(MailAccount account) => new(LoginResult.Success, account);
}
