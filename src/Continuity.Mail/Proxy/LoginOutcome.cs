namespace Continuity.Mail.Proxy;

/// <summary>The result of <see cref="MailLogin.AuthenticateAsync"/>.</summary>
internal sealed record LoginOutcome(LoginResult Result, string? Tenant = null, string? User = null, string? Provider = null)
{
    public static readonly LoginOutcome Failed = new(LoginResult.Failed);
    public static readonly LoginOutcome Throttled = new(LoginResult.Throttled);
    public static readonly LoginOutcome Unavailable = new(LoginResult.Unavailable);
}
