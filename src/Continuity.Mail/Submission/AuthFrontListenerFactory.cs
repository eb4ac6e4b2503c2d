using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace Continuity.Mail.Submission;

/// <summary>SmtpServer's listeners with every session's pipe wrapped in <see cref="AuthFrontPipe"/> (the AUTH front).</summary>
internal sealed class AuthFrontListenerFactory(bool bearer) : EndpointListenerFactory
{
    public override IEndpointListener CreateListener(IEndpointDefinition endpointDefinition) => new Listener(base.CreateListener(endpointDefinition), bearer);

    private sealed class Listener(IEndpointListener inner, bool bearer) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken) =>
            new AuthFrontPipe(await inner.GetPipeAsync(context, cancellationToken).ConfigureAwait(false), context, bearer);

        public void Dispose() => inner.Dispose();
    }
}
