namespace Continuity.Mail.Imap;

/// <summary>
/// Tokenizes one line of a pre-login command (RFC 9051 section 9 grammar, the parts a client may send before
/// login). Input is one bounded line; every defect is returned as an error text, never thrown.
/// </summary>
internal static class ImapLineParser
{
    /// <summary>Reads <c>tag SP name</c> at the start of a command; returns the rest of the line, or an error.</summary>
    public static string? ParseHead(ReadOnlySpan<byte> line, out string? tag, out string name, out int rest)
    {
        tag = null;
        name = "";
        rest = line.Length;
        var space = line.IndexOf((byte)' ');
        var tagBytes = space < 0 ? line : line[..space];
        if (tagBytes.Length == 0 || !IsTag(tagBytes))
        {
            return "Invalid tag";
        }

        tag = Encoding.ASCII.GetString(tagBytes);
        if (space < 0)
        {
            return "Missing command";
        }

        var after = line[(space + 1)..];
        var end = after.IndexOf((byte)' ');
        var nameBytes = end < 0 ? after : after[..end];
        if (nameBytes.Length == 0 || nameBytes.Length > 32 || !IsAtom(nameBytes))
        {
            return "Invalid command name";
        }

        name = Encoding.ASCII.GetString(nameBytes).ToUpperInvariant();
        rest = space + 1 + nameBytes.Length;
        return null;
    }

    /// <summary>Adds the argument tokens of <paramref name="line"/>; a literal may only close the line.</summary>
    public static string? ParseArguments(ReadOnlySpan<byte> line, List<ImapToken> tokens, ref int depth, out ImapLiteral? literal)
    {
        literal = null;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            switch (c)
            {
                case (byte)' ':
                    i++;
                    break;
                case (byte)'(':
                    if (++depth > 8)
                    {
                        return "Lists nested too deep";
                    }

                    tokens.Add(ImapToken.Open);
                    i++;
                    break;
                case (byte)')':
                    if (--depth < 0)
                    {
                        return "Unbalanced parenthesis";
                    }

                    tokens.Add(ImapToken.Close);
                    i++;
                    break;
                case (byte)'"':
                    var quotedError = ParseQuoted(line, ref i, tokens);
                    if (quotedError is not null)
                    {
                        return quotedError;
                    }

                    break;
                case (byte)'{':
                    return ParseLiteral(line[i..], out literal);
                case (byte)'~':
                    return "literal8 is not accepted before login";
                default:
                    var start = i;
                    while (i < line.Length && line[i] is not ((byte)' ' or (byte)'(' or (byte)')'))
                    {
                        i++;
                    }

                    var atom = line[start..i];
                    if (!IsAtom(atom, allowBracket: true))
                    {
                        return "Invalid characters in command";
                    }

                    tokens.Add(new ImapToken(ImapTokenKind.Atom, atom.ToArray()));
                    break;
            }
        }

        return null;
    }

    private static string? ParseQuoted(ReadOnlySpan<byte> line, ref int i, List<ImapToken> tokens)
    {
        var value = new List<byte>();
        for (var j = i + 1; j < line.Length; j++)
        {
            var b = line[j];
            if (b == '"')
            {
                tokens.Add(new ImapToken(ImapTokenKind.String, [.. value]));
                i = j + 1;
                return null;
            }

            if (b == '\\')
            {
                if (j + 1 >= line.Length || line[j + 1] is not ((byte)'"' or (byte)'\\'))
                {
                    return "Invalid escape in quoted string";
                }

                b = line[++j];
            }
            else if (b is 0 or (byte)'\r' or (byte)'\n')
            {
                return "Invalid characters in quoted string";
            }

            value.Add(b);
        }

        return "Unterminated quoted string";
    }

    private static string? ParseLiteral(ReadOnlySpan<byte> rest, out ImapLiteral? literal)
    {
        literal = null;
        if (rest.Length < 3 || rest[^1] != '}')
        {
            return "A literal must end the line";
        }

        var inner = rest[1..^1];
        var nonSync = inner.Length > 0 && inner[^1] == '+';
        var digits = nonSync ? inner[..^1] : inner;
        if (digits.Length is 0 or > 10)
        {
            return "Invalid literal length";
        }

        long length = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return "Invalid literal length";
            }

            length = (length * 10) + (d - '0');
        }

        literal = new ImapLiteral(length, nonSync);
        return null;
    }

    private static bool IsTag(ReadOnlySpan<byte> tag) => tag.IndexOf((byte)'+') < 0 && IsAtom(tag, allowBracket: true);

    /// <summary>ATOM-CHAR: any CHAR except atom-specials (RFC 9051): ( ) { SP CTL % * " \ ] — ']' allowed where ASTRING-CHAR is.</summary>
    private static bool IsAtom(ReadOnlySpan<byte> atom, bool allowBracket = false)
    {
        foreach (var b in atom)
        {
            if (b is <= 0x1F or >= 0x7F or (byte)'(' or (byte)')' or (byte)'{' or (byte)' ' or (byte)'%' or (byte)'*' or (byte)'"' or (byte)'\\'
                || (b == ']' && !allowBracket))
            {
                return false;
            }
        }

        return true;
    }
}
