namespace Continuity.Mail.Delivery;

/// <summary>
/// The outbound connection to a provider's inbound mail backend (the seam tests replace to play a backend's
/// behaviour). Never throws for a backend failure: every recipient gets a reply, a local 4xx when the backend
/// could not be reached.
/// </summary>
internal interface IBackendTransport
{
    /// <param name="backend"><c>lmtp://host:port</c>, <c>smtp://host:port</c> or <c>smtps://host:port</c>.</param>
    /// <param name="beforeBody">Called with the indexes of the accepted recipients before the body (and its final dot) is sent.</param>
    /// <returns>One reply per recipient, in order.</returns>
    Task<IReadOnlyList<LmtpReply>> DeliverAsync(
        Uri backend, string from, IReadOnlyList<string> recipients, QueuedMessage message, Func<IReadOnlyList<int>, CancellationToken, Task> beforeBody, CancellationToken cancellationToken);
}
