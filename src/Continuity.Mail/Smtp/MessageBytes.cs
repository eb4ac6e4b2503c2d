namespace Continuity.Mail.Smtp;

/// <summary>Byte-level checks of a received message (no parsing: the bytes are passed on unchanged).</summary>
internal static class MessageBytes
{
    public static MessageDefect Check(in ReadOnlySequence<byte> message)
    {
        byte previous = 0;
        var bareLf = false;
        foreach (var segment in message)
        {
            var span = segment.Span;
            if (span.Contains((byte)0))
            {
                return MessageDefect.Nul;
            }

            var start = 0;
            while (!bareLf)
            {
                var i = span[start..].IndexOf((byte)'\n');
                if (i < 0)
                {
                    break;
                }

                var at = start + i;
                var before = at > 0 ? span[at - 1] : previous;
                bareLf = before != (byte)'\r';
                start = at + 1;
            }

            if (span.Length > 0)
            {
                previous = span[^1];
            }
        }

        return bareLf ? MessageDefect.BareLineFeed : MessageDefect.None;
    }
}
