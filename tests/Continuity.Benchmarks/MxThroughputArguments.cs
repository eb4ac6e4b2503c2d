using System.Globalization;

namespace Continuity.Benchmarks;

/// <summary>
/// Arguments of the <c>mx</c> benchmark: <c>--postfix HOST:PORT</c> (required: the peer Postfix's smtpd, set up by
/// <c>mx-vs-postfix.sh</c>), <c>--postfix-queue DIR</c> (its queue directory, to check every message was queued),
/// <c>--messages N</c> (per measured run, default 2000), <c>--sessions S</c> (parallel smtp-source sessions,
/// default 20), <c>--size BYTES</c> (default 10240), <c>--rounds R</c> (default 3).
/// </summary>
internal sealed record MxThroughputArguments(string Postfix, string? PostfixQueue, int Messages, int Sessions, int Size, int Rounds)
{
    public const string Usage = """
        usage: mx --postfix HOST:PORT [--postfix-queue DIR] [--messages N] [--sessions S] [--size BYTES] [--rounds R]
          (tests/Continuity.Benchmarks/mx-vs-postfix.sh sets up the Postfix peer and passes --postfix and --postfix-queue)
        """;

    public static MxThroughputArguments? Parse(string[] args)
    {
        var pairs = args.SkipWhile(a => a == "mx").ToArray();
        if (pairs.Length % 2 != 0)
        {
            return null;
        }

        string? postfix = null;
        string? queue = null;
        int messages = 2000, sessions = 20, size = 10240, rounds = 3;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            var value = pairs[i + 1];
            var ok = pairs[i] switch
            {
                "--postfix" => Text(value, out postfix),
                "--postfix-queue" => Text(value, out queue),
                "--messages" => Int(value, out messages),
                "--sessions" => Int(value, out sessions),
                "--size" => Int(value, out size),
                "--rounds" => Int(value, out rounds),
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }

        return postfix is null ? null : new MxThroughputArguments(postfix, queue, messages, sessions, size, rounds);
    }

    private static bool Text(string text, out string? value)
    {
        value = text;
        return text.Length > 0;
    }

    private static bool Int(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
