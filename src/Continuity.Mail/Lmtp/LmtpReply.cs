using System.Globalization;

namespace Continuity.Mail.Lmtp;

/// <summary>A server reply: the code and its (joined) text, which starts with the enhanced status code when the server sends one.</summary>
internal sealed record LmtpReply(int Code, string Text)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public bool IsTransient => Code is >= 400 and < 500;

    public bool IsPermanent => Code >= 500;

    /// <summary>A reply for a failure that never reached the server (connect refused, timeout, protocol error).</summary>
    public static LmtpReply LocalTransient(string text) => new(451, $"4.4.1 {text}");

    public override string ToString() => $"{Code.ToString(CultureInfo.InvariantCulture)} {Text}";
}
