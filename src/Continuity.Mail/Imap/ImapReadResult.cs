namespace Continuity.Mail.Imap;

/// <summary>What <see cref="ImapCommandReader"/> read: a command, a protocol error to answer, or the end of the connection.</summary>
/// <param name="Command">The command, when one was read whole.</param>
/// <param name="Error">The response to send (e.g. <c>a1 BAD …</c> or <c>* BYE …</c>), without CR LF.</param>
/// <param name="Close">True when the connection must close after <paramref name="Error"/> (or at once, without one).</param>
internal readonly record struct ImapReadResult(ImapCommand? Command, string? Error, bool Close)
{
    public static ImapReadResult Closed => new(null, null, true);

    public static ImapReadResult Bad(string? tag, string text) => new(null, $"{tag ?? "*"} BAD {text}", false);

    public static ImapReadResult Bye(string text) => new(null, "* BYE " + text, true);
}
