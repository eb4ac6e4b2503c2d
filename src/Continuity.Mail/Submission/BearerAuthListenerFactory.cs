using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;
using SmtpServer.Protocol;

namespace Continuity.Mail.Submission;

/// <summary>SmtpServer's listeners with every session's pipe wrapped in <see cref="BearerAuthPipe"/>.</summary>
internal sealed class BearerAuthListenerFactory : EndpointListenerFactory
{
    public override IEndpointListener CreateListener(IEndpointDefinition endpointDefinition) => new Listener(base.CreateListener(endpointDefinition));

    private sealed class Listener(IEndpointListener inner) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken) =>
            new BearerAuthPipe(await inner.GetPipeAsync(context, cancellationToken).ConfigureAwait(false));

        public void Dispose() => inner.Dispose();
    }
}

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
