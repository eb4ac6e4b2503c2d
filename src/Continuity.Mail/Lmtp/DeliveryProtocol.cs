namespace Continuity.Mail.Lmtp;

/// <summary>
/// The dialogue an <see cref="LmtpClient"/> speaks. Both are the same transaction (MAIL, RCPT…, DATA, dot-stuffed
/// bytes); they differ only in the greeting command and in the replies after the final dot.
/// </summary>
internal enum DeliveryProtocol
{
    /// <summary>RFC 2033: LHLO, then one reply per accepted recipient after the final dot.</summary>
    Lmtp,

    /// <summary>RFC 5321: EHLO (HELO for a server that refuses it), then one reply after the final dot for all accepted recipients.</summary>
    Smtp,
}
