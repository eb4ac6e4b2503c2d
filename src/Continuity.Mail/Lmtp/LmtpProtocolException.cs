namespace Continuity.Mail.Lmtp;

/// <summary>The server broke the protocol (an over-long or malformed reply, an unexpected close).</summary>
public sealed class LmtpProtocolException : IOException
{
    public LmtpProtocolException()
    {
    }

    public LmtpProtocolException(string message)
        : base(message)
    {
    }

    public LmtpProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
