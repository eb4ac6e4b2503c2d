using System.Security.Authentication;

namespace Continuity.Mail.Delivery;

/// <summary>
/// Delivers to <c>lmtp://</c>, <c>smtp://</c> and <c>smtps://</c> backends with the project's <see cref="LmtpClient"/>
/// (pooled), always with the explicit envelope, copying the spooled bytes verbatim: no MIME parsing, no re-encoding.
/// </summary>
internal sealed partial class BackendTransport(LmtpConnectionPool pool, ILogger<BackendTransport> logger) : IBackendTransport
{
    public async Task<IReadOnlyList<LmtpReply>> DeliverAsync(
        Uri backend, string from, IReadOnlyList<string> recipients, QueuedMessage message, Func<IReadOnlyList<int>, CancellationToken, Task> beforeBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(recipients);
        try
        {
            var client = await pool.RentAsync(backend, cancellationToken).ConfigureAwait(false);
            try
            {
                await using var body = SpoolStore.OpenBody(message);
                return await client.SendAsync(from, recipients, body, cancellationToken, beforeBody).ConfigureAwait(false);
            }
            finally
            {
                await pool.ReturnAsync(backend, client).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or OperationCanceledException or AuthenticationException
            && !cancellationToken.IsCancellationRequested)
        {
            Log.BackendFailed(logger, backend.GetLeftPart(UriPartial.Authority), e.Message);
            var reply = LmtpReply.LocalTransient($"{backend.Host}:{backend.Port} {Describe(e)}");
            return [.. recipients.Select(_ => reply)];
        }
    }

    private static string Describe(Exception e) => e switch
    {
        SocketException s => $"connect failed: {s.SocketErrorCode}",
        TimeoutException or OperationCanceledException => "timed out",
        AuthenticationException => $"TLS handshake failed: {SpoolJournal.Clean(e.Message)}",
        _ => SpoolJournal.Clean(e.Message),
    };
}
