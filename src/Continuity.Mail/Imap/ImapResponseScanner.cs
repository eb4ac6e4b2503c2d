namespace Continuity.Mail.Imap;

/// <summary>
/// Follows server responses (lines, and the literals a line announces with <c>{n}</c> at its end) so that the
/// proxy's own <c>* BYE</c> goes between two responses, never inside a message body.
/// </summary>
internal sealed class ImapResponseScanner : IResponseBoundary
{
    private long _literalLeft;
    private bool _lineStart = true;
    private long _braceValue = -1; // digits seen after '{' on this line; -1: none
    private bool _braceClosed;

    public bool AtBoundary => _lineStart && _literalLeft == 0;

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            if (_literalLeft > 0)
            {
                var skip = (int)Math.Min(_literalLeft, bytes.Length - i);
                _literalLeft -= skip;
                i += skip;
                continue;
            }

            var b = bytes[i++];
            _lineStart = false;
            switch (b)
            {
                case (byte)'\n':
                    if (_braceClosed)
                    {
                        _literalLeft = _braceValue;
                    }

                    _lineStart = _literalLeft == 0;
                    _braceValue = -1;
                    _braceClosed = false;
                    break;
                case (byte)'\r' when _braceClosed:
                    break;
                case (byte)'{':
                    _braceValue = 0;
                    _braceClosed = false;
                    break;
                case >= (byte)'0' and <= (byte)'9' when _braceValue >= 0 && !_braceClosed:
                    _braceValue = Math.Min((_braceValue * 10) + (b - '0'), long.MaxValue / 20);
                    break;
                case (byte)'+' when _braceValue >= 0 && !_braceClosed:
                    break;
                case (byte)'}' when _braceValue >= 0:
                    _braceClosed = true;
                    break;
                default:
                    _braceValue = -1;
                    _braceClosed = false;
                    break;
            }
        }
    }
}
