namespace Continuity.Mail.Submission;

/// <summary>Keys of <c>ISessionContext.Properties</c> the submission parts share.</summary>
internal static class SubmissionKeys
{
    /// <summary>The <see cref="Proxy.MailAccount"/> a successful AUTH logged in.</summary>
    public const string Login = "continuity:submission:login";
}
