namespace Continuity.Mail.Lmtp;

/// <summary>One mail transaction: MAIL, RCPT per recipient, DATA, the bytes, and the replies after the final dot.</summary>
internal sealed partial class LmtpClient
{
    /// <summary>
    /// Delivers <paramref name="body"/> to <paramref name="recipients"/> and returns one reply per recipient, in order:
    /// the RCPT refusal, or else the server's reply after DATA — for that recipient (LMTP) or for the whole message (SMTP).
    /// </summary>
    /// <param name="beforeBody">
    /// Called after the server's 354 with the indexes of the recipients it accepted, before the first byte of the body
    /// (and so before the final dot): the delivery journals its attempt there. If it throws, no dot is sent.
    /// </param>
    public async Task<IReadOnlyList<LmtpReply>> SendAsync(
        string from, IReadOnlyList<string> recipients, Stream body, CancellationToken cancellationToken, Func<IReadOnlyList<int>, CancellationToken, Task>? beforeBody = null)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var replies = await TransactAsync(from, recipients, body, beforeBody, cancellationToken).ConfigureAwait(false);
            LastUsed = _time.GetUtcNow();
            return replies;
        }
        catch
        {
            IsHealthy = false;
            throw;
        }
    }

    private async Task<IReadOnlyList<LmtpReply>> TransactAsync(
        string from, IReadOnlyList<string> recipients, Stream body, Func<IReadOnlyList<int>, CancellationToken, Task>? beforeBody, CancellationToken cancellationToken)
    {
        var commands = new List<string>(recipients.Count + 2) { $"MAIL FROM:<{Clean(from)}>{(EightBitMime ? " BODY=8BITMIME" : "")}\r\n" };
        commands.AddRange(recipients.Select(r => $"RCPT TO:<{Clean(r)}>\r\n"));
        commands.Add("DATA\r\n");

        var rcptReplies = new LmtpReply[recipients.Count];
        LmtpReply mail;
        LmtpReply data;
        if (Pipelining)
        {
            await WriteAsync(string.Concat(commands), cancellationToken).ConfigureAwait(false);
            mail = await ReadAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < recipients.Count; i++)
            {
                rcptReplies[i] = await ReadAsync(cancellationToken).ConfigureAwait(false);
            }

            data = await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            mail = await CommandAsync(commands[0], cancellationToken).ConfigureAwait(false);
            if (!mail.IsPositive)
            {
                await ResetAsync(cancellationToken).ConfigureAwait(false);
                return [.. recipients.Select(_ => mail)];
            }

            for (var i = 0; i < recipients.Count; i++)
            {
                rcptReplies[i] = await CommandAsync(commands[i + 1], cancellationToken).ConfigureAwait(false);
            }

            data = rcptReplies.Any(r => r.IsPositive)
                ? await CommandAsync("DATA\r\n", cancellationToken).ConfigureAwait(false)
                : new LmtpReply(554, "5.5.1 No valid recipients");
        }

        if (!mail.IsPositive)
        {
            await ResetIfOpenAsync(data, cancellationToken).ConfigureAwait(false);
            return [.. recipients.Select(_ => mail)];
        }

        if (data.Code != 354)
        {
            await ResetIfOpenAsync(data, cancellationToken).ConfigureAwait(false);
            return [.. rcptReplies.Select(r => r.IsPositive ? data : r)];
        }

        if (beforeBody is not null)
        {
            await beforeBody([.. Enumerable.Range(0, recipients.Count).Where(i => rcptReplies[i].IsPositive)], cancellationToken).ConfigureAwait(false);
        }

        using (var timeout = new CancellationTokenSource(_commandTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            await DotStuffer.CopyAsync(body, _stream, linked.Token).ConfigureAwait(false);
            await _stream.FlushAsync(linked.Token).ConfigureAwait(false);
        }

        if (_protocol == DeliveryProtocol.Smtp)
        {
            // RFC 5321 4.1.1.4: one reply for the message, which holds for every recipient accepted at RCPT.
            var final = await ReadAsync(cancellationToken).ConfigureAwait(false);
            return [.. rcptReplies.Select(r => r.IsPositive ? final : r)];
        }

        var result = new LmtpReply[recipients.Count];
        for (var i = 0; i < recipients.Count; i++)
        {
            result[i] = rcptReplies[i].IsPositive ? await ReadAsync(cancellationToken).ConfigureAwait(false) : rcptReplies[i];
        }

        return result;
    }

    private async Task ResetIfOpenAsync(LmtpReply data, CancellationToken cancellationToken)
    {
        if (data.Code == 354)
        {
            // Should not happen (no recipient, yet DATA accepted): the session is out of step, so it is not reused.
            IsHealthy = false;
            return;
        }

        await ResetAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Addresses come from the spool, which took them from SmtpServer's parser; still, never let CR/LF or '&gt;' through.</summary>
    private static string Clean(string address) =>
        address.Contains('\r', StringComparison.Ordinal) || address.Contains('\n', StringComparison.Ordinal) || address.Contains('>', StringComparison.Ordinal)
            ? throw new ArgumentException("address contains CR, LF or '>'", nameof(address))
            : address;
}
