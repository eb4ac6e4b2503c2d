using SmtpServer.Protocol;

namespace Continuity.Mail.Submission;

/// <summary>EHLO that also names the bearer mechanisms wherever it offers AUTH PLAIN LOGIN.</summary>
internal sealed class BearerAuthCommandFactory : SmtpCommandFactory
{
    public override SmtpCommand CreateEhlo(string domainOrAddress) => new Ehlo(domainOrAddress);

    private sealed class Ehlo(string domainOrAddress) : EhloCommand(domainOrAddress)
    {
        protected override IEnumerable<string> GetExtensions(ISessionContext context) =>
            base.GetExtensions(context).Select(e => e == "AUTH PLAIN LOGIN" ? "AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2" : e);
    }
}
