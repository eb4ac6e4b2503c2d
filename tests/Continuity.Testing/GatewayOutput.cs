using System.Text;

namespace Continuity.Testing;

/// <summary>The tail of a child process's output, thread-safe and bounded (oldest text dropped first).</summary>
public sealed class GatewayOutput(int maxChars)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

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
