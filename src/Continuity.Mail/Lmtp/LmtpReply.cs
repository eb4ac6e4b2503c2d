namespace Continuity.Mail.Lmtp;

/// <summary>A server reply: the code and its (joined) text, which starts with the enhanced status code when the server sends one.</summary>
internal sealed record LmtpReply(int Code, string Text)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public bool IsTransient => Code is >= 400 and < 500;

    public bool IsPermanent => Code >= 500;

    /// <summary>Made here, not sent by the server: the server's answer is unknown (it may never have seen the message,
    /// or it may have stored it and the connection died before its reply).</summary>
    public bool IsLocal { get; init; }

    /// <summary>A reply for a failure of the connection (connect refused, timeout, protocol error), not from the server.</summary>
    public static LmtpReply LocalTransient(string text) => new(451, $"4.4.1 {text}") { IsLocal = true };

    public override string ToString() => $"{Code.ToString(CultureInfo.InvariantCulture)} {Text}";
}
