using Continuity.Mail.Limits;
using SmtpServer.IO;
using SmtpServer.Net;

namespace Continuity.Mail.Submission;

/// <summary>
/// SmtpServer's listeners with every session's pipe wrapped in <see cref="AuthFrontPipe"/> (the AUTH front), and at most
/// <c>MaxSubmissionConnectionsPerAddress</c> sessions from one client address across the submission ports: the next one
/// is answered 421 (nothing on the implicit-TLS port) and closed at once.
/// </summary>
internal sealed partial class AuthFrontListenerFactory(bool bearer, PerAddressConnectionLimit perAddress, ILogger logger) : EndpointListenerFactory
{
    private static readonly byte[] TooMany = "421 4.7.0 Too many connections from your address, try again later\r\n"u8.ToArray();

    public override IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        ArgumentNullException.ThrowIfNull(endpointDefinition);
        return new Listener(base.CreateListener(endpointDefinition), endpointDefinition.IsSecure, bearer, perAddress, logger);
    }

    private sealed class Listener(IEndpointListener inner, bool implicitTls, bool bearer, PerAddressConnectionLimit perAddress, ILogger logger) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            while (true)
            {
                var pipe = await inner.GetPipeAsync(context, cancellationToken).ConfigureAwait(false);
                var remote = context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var r) && r is IPEndPoint ip ? ip.Address : IPAddress.None;
                if (perAddress.TryOpen(remote) is { } lease)
                {
                    return new AuthFrontPipe(pipe, context, bearer, lease);
                }

                Log.TooMany(logger, remote.ToString(), perAddress.MaxPerAddress);
                await RefuseAsync(pipe).ConfigureAwait(false);
                // The library adds these for every accepted client; the next one adds them again.
                context.Properties.Remove(EndpointListener.LocalEndPointKey);
                context.Properties.Remove(EndpointListener.RemoteEndPointKey);
            }
        }

        public void Dispose() => inner.Dispose();

        private async Task RefuseAsync(ISecurableDuplexPipe pipe)
        {
            try
            {
                if (!implicitTls)
                {
                    // A fresh connection's send buffer is empty: this completes at once unless the client is gone.
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await pipe.Output.WriteAsync(TooMany, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // The client is gone already; closing is all that is left.
            }
            finally
            {
                pipe.Dispose();
            }
        }
    }
}
