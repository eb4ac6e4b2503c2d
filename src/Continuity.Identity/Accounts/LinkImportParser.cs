namespace Continuity.Identity.Accounts;

/// <summary>
/// Reads an account link export. Two formats:
/// <list type="bullet">
/// <item>JSON: <c>[{"email": …, "name": …?, "links": [{"provider": …, "issuer": …?, "subject": …}]}]</c>;</item>
/// <item>CSV: <c>email,provider,subject[,name]</c> per line, an optional header line starting with <c>email</c>,
/// fields quoted with <c>"</c> when they hold a comma (<c>""</c> for a quote), blank lines and <c>#</c> comments skipped.</item>
/// </list>
/// Bounded: at most <see cref="MaxRows"/> links, each field checked for length and control characters. Every bad
/// row is reported with its line; the parser never throws on input.
/// </summary>
internal static class LinkImportParser
{
    public const int MaxRows = 20_000;
    private const int MaxEmail = 254;
    private const int MaxName = 256;
    private const int MaxProvider = 64;
    private const int MaxIssuer = 2048;

    /// <summary>OIDC Core §2: a <c>sub</c> is at most 255 ASCII characters.</summary>
    private const int MaxSubject = 255;

    public static (List<LinkImportRow> Rows, List<LinkImportError> Errors) ParseCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<LinkImportRow>();
        var errors = new List<LinkImportError>();
        var lines = text.Split('\n');
        var headerSeen = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (line.Length == 0 || line.TrimStart().StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            if (SplitCsv(line) is not { } fields)
            {
                errors.Add(new LinkImportError(lineNumber, "unterminated quoted field (a field cannot span lines)"));
                continue;
            }

            if (!headerSeen && rows.Count == 0 && errors.Count == 0 && fields[0].Trim().Equals("email", StringComparison.OrdinalIgnoreCase))
            {
                headerSeen = true;
                continue;
            }

            if (fields.Count is < 3 or > 4)
            {
                errors.Add(new LinkImportError(lineNumber, $"expected 3 or 4 fields (email,provider,subject[,name]), found {fields.Count}"));
                continue;
            }

            Add(rows, errors, lineNumber, fields[0], fields.Count == 4 ? fields[3] : null, fields[1], null, fields[2], "");
        }

        return (rows, errors);
    }

    public static (List<LinkImportRow> Rows, List<LinkImportError> Errors) ParseJson(ReadOnlySpan<byte> utf8)
    {
        var rows = new List<LinkImportRow>();
        var errors = new List<LinkImportError>();
        var lines = new LineCounter();
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                errors.Add(new LinkImportError(1, "the body must be a JSON array of accounts"));
                return (rows, errors);
            }

            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var line = lines.LineAt(utf8, (int)reader.TokenStartIndex);
                using var entry = JsonDocument.ParseValue(ref reader);
                ReadEntry(entry.RootElement, $"[{index}]", line, rows, errors);
                index++;
            }
        }
        catch (JsonException ex)
        {
            errors.Add(new LinkImportError((int)(ex.LineNumber ?? 0) + 1, "not valid JSON: " + ex.Message.Split(" Path:")[0]));
        }

        return (rows, errors);
    }

    private static void ReadEntry(JsonElement entry, string path, int line, List<LinkImportRow> rows, List<LinkImportError> errors)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new LinkImportError(line, $"{path}: an account must be an object with email and links"));
            return;
        }

        var email = String(entry, "email");
        var name = String(entry, "name");
        if (!entry.TryGetProperty("links", out var links) || links.ValueKind != JsonValueKind.Array || links.GetArrayLength() == 0)
        {
            errors.Add(new LinkImportError(line, $"{path}.links: at least one link {{provider, issuer?, subject}} is required"));
            return;
        }

        var i = 0;
        foreach (var link in links.EnumerateArray())
        {
            var where = $"{path}.links[{i++}].";
            if (link.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new LinkImportError(line, where[..^1] + ": a link must be an object"));
                continue;
            }

            Add(rows, errors, line, email, name, String(link, "provider"), String(link, "issuer"), String(link, "subject"), where);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => value.GetRawText(), // reported as a wrong value below, never thrown
        } : null;

    private static void Add(List<LinkImportRow> rows, List<LinkImportError> errors, int line,
        string? email, string? name, string? provider, string? issuer, string? subject, string where)
    {
        var problems = new List<string>();
        email = Check(problems, where + "email", email, MaxEmail, required: true);
        name = Check(problems, where + "name", name, MaxName, required: false);
        provider = Check(problems, where + "provider", provider, MaxProvider, required: true);
        issuer = Check(problems, where + "issuer", issuer, MaxIssuer, required: false);
        subject = Check(problems, where + "subject", subject, MaxSubject, required: true);
        if (email is not null && (email.IndexOf('@', StringComparison.Ordinal) is <= 0 || email.EndsWith('@') || email.Contains(' ', StringComparison.Ordinal)))
        {
            problems.Add($"{where}email '{email}' is not an address");
        }

        if (rows.Count + 1 > MaxRows && problems.Count == 0)
        {
            problems.Add($"more than {MaxRows} links in one import: split the file");
        }

        if (problems.Count > 0)
        {
            errors.Add(new LinkImportError(line, string.Join("; ", problems)));
            return;
        }

        rows.Add(new LinkImportRow(line, email!.ToLowerInvariant(), name, provider!, issuer, subject!));
    }

    private static string? Check(List<string> problems, string field, string? value, int max, bool required)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                problems.Add($"{field} is required");
            }

            return null;
        }

        if (value.Length > max)
        {
            problems.Add($"{field} is longer than {max} characters");
        }
        else if (value.Any(char.IsControl))
        {
            problems.Add($"{field} contains a control character");
        }

        return value;
    }

    /// <summary>RFC 4180 fields of one line; null when a quote is not closed.</summary>
    private static List<string>? SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>Line numbers of byte offsets, counted forward only (offsets come in increasing order).</summary>
    private sealed class LineCounter
    {
        private int _offset;
        private int _line = 1;

        public int LineAt(ReadOnlySpan<byte> text, int offset)
        {
            _line += text[_offset..offset].Count((byte)'\n');
            _offset = offset;
            return _line;
        }
    }
}
