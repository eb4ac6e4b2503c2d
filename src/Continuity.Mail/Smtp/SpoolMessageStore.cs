using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using SmtpResponse = SmtpServer.Protocol.SmtpResponse;

namespace Continuity.Mail.Smtp;

/// <summary>
/// The end of DATA: checks the bytes, writes them to the spool with fsync and only then answers 250.
/// Every internal failure answers 451 (SmtpServer would turn an exception into a permanent 554);
/// 5xx only for a message that is certainly unacceptable (too big, NUL bytes, bare LF).
/// </summary>
internal sealed partial class SpoolMessageStore(
    SpoolStore spool,
    SpoolQueue queue,
    RecipientPolicy policy,
    IOptions<MailOptions> options,
    MxIdentity identity,
    TimeProvider time,
    ILogger<SpoolMessageStore> logger,
    Core.Metrics.ContinuityMetrics metrics) : IMessageStore
{
    public Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Save(context, transaction, buffer));
        }
        catch (Exception e)
        {
            Log.SpoolFailed(logger, e);
            return Task.FromResult(new SmtpResponse((SmtpReplyCode)451, "4.3.0 Temporary failure writing the queue; try again later"));
        }
    }

    private SmtpResponse Save(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transaction);
        var limits = options.Value.Limits;
        if (buffer.Length > limits.MaxMessageSize)
        {
            return new SmtpResponse((SmtpReplyCode)552, "5.3.4 Message size exceeds fixed maximum message size");
        }

        switch (MessageBytes.Check(buffer))
        {
            case MessageDefect.Nul:
                return new SmtpResponse((SmtpReplyCode)554, "5.6.0 NUL characters are not allowed in a message");
            case MessageDefect.BareLineFeed when !limits.AllowBareLineFeed:
                return new SmtpResponse((SmtpReplyCode)550, "5.6.0 Bare LF is not allowed; lines end with CRLF (RFC 5321 2.3.8)");
        }

        var recipients = transaction.To
            .Select(to => policy.Decide(MxAddress.Of(to)).Recipient)
            .OfType<SpoolRecipient>()
            .DistinctBy(r => r.DeliverTo, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (recipients.Count == 0)
        {
            return new SmtpResponse((SmtpReplyCode)554, "5.5.1 No valid recipients");
        }

        var now = time.GetUtcNow();
        var envelope = new SpoolEnvelope
        {
            Id = SpoolStore.NewId(now),
            From = MxAddress.Of(transaction.From),
            Recipients = recipients,
            ReceivedAt = now,
            Client = RemoteAddress(context),
        };
        var received = ReceivedHeader(envelope, context);
        var message = spool.Write(envelope, received, buffer);
        queue.Add(message);
        recipients.ForEach(r => metrics.MailAccepted(r.Tenant));
        Log.Queued(logger, envelope.Id, recipients.Count, message.BodyLength);
        return new SmtpResponse((SmtpReplyCode)250, $"2.0.0 Ok: queued as {envelope.Id}");
    }

    private byte[] ReceivedHeader(SpoolEnvelope envelope, ISessionContext context)
    {
        var secure = context.Pipe?.IsSecure == true ? "ESMTPS" : "ESMTP";
        var @for = envelope.Recipients.Count == 1 ? $"\r\n\tfor <{envelope.Recipients[0].Address}>" : "";
        var date = envelope.ReceivedAt.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        var header = $"Received: from [{envelope.Client ?? "unknown"}]\r\n\tby {identity.ServerName} (Continuity) with {secure} id {envelope.Id}{@for};\r\n\t{date}\r\n";
        return [.. Encoding.ASCII.GetBytes(header), .. SpoolIdHeader.Line(envelope.Id)];
    }

    private static string? RemoteAddress(ISessionContext context) =>
        context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var ep) && ep is IPEndPoint ip
            ? ip.Address.ToString()
            : null;
}
