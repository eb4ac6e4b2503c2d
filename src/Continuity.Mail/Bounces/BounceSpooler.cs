using Continuity.Core.Tenants;
using MimeKit;

namespace Continuity.Mail.Bounces;

/// <summary>
/// Spools the DSN for a message's failed recipients, from the null sender to the original sender. Never to an
/// empty sender, never for a bounce, never to a MAILER-DAEMON: bounces do not loop. The DSN's id is the
/// original's plus <c>-b</c>, so a crash between spooling it and journalling <c>B</c> does not send it twice.
/// </summary>
internal sealed partial class BounceSpooler(SpoolStore spool, SpoolQueue queue, TenantDirectory tenants, MxIdentity identity, TimeProvider time, ILogger<BounceSpooler> logger)
{
    public void Spool(QueuedMessage original, IReadOnlyList<(SpoolRecipient Recipient, string Reason)> failed)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(failed);
        var sender = original.Envelope.From;
        if (sender.Length == 0 || original.Envelope.IsBounce || sender.StartsWith("mailer-daemon@", StringComparison.OrdinalIgnoreCase))
        {
            Log.NoBounce(logger, original.Id, failed.Count);
            return;
        }

        var id = original.Id + "-b";
        if (queue.Find(id) is null && !File.Exists(Path.Combine(Path.GetDirectoryName(original.Path)!, id + ".msg")))
        {
            HeaderList headers;
            using (var body = SpoolStore.OpenBody(original))
            {
                headers = HeaderList.Load(body);
            }

            var now = time.GetUtcNow();
            var dsn = DsnBuilder.Build(identity.ServerName, original.Envelope, failed, headers, now);
            var envelope = new SpoolEnvelope
            {
                Id = id,
                From = "",
                Recipients = [new SpoolRecipient(sender, sender, tenants.FindByAddress(sender))],
                ReceivedAt = now,
                Client = "local",
                IsBounce = true,
            };
            var message = spool.Write(envelope, SpoolIdHeader.Line(id), new ReadOnlySequence<byte>(Serialize(dsn)));
            SpoolStore.Append(original, SpoolJournal.Bounced(id));
            original.BounceSpooled = true;
            queue.Add(message);
        }
        else
        {
            SpoolStore.Append(original, SpoolJournal.Bounced(id));
            original.BounceSpooled = true;
        }

        Log.Bounced(logger, original.Id, id, failed.Count);
    }

    /// <summary>The DSN in wire form, without its final CRLF (the spool's convention: the CRLF before the dot is added at delivery).</summary>
    private static byte[] Serialize(MimeMessage dsn)
    {
        using var stream = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        dsn.WriteTo(format, stream);
        var bytes = stream.ToArray();
        return bytes.Length >= 2 && bytes[^2] == '\r' && bytes[^1] == '\n' ? bytes[..^2] : bytes;
    }
}
