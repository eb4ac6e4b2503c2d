using System.Text;

namespace Continuity.Testing;

/// <summary>The tail of a child process's output, thread-safe and bounded (oldest text dropped first).</summary>
public sealed class GatewayOutput(int maxChars)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();
    private int _lines;

    /// <summary>Lines appended so far, including those the bound dropped since.</summary>
    public int Lines
    {
        get
        {
            lock (_lock)
            {
                return _lines;
            }
        }
    }

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public void AppendLine(string? line)
    {
        if (line is not null)
        {
            lock (_lock)
            {
                _lines++;
            }

            Append(line + "\n");
        }
    }

    public void Append(string text)
    {
        lock (_lock)
        {
            _text.Append(text);
            if (_text.Length > maxChars)
            {
                _text.Remove(0, _text.Length - maxChars);
            }
        }
    }
}
