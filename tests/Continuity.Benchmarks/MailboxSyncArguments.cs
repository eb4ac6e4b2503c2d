using System.Globalization;

namespace Continuity.Benchmarks;

/// <summary>
/// Arguments of the <c>sync</c> benchmark: <c>--messages N</c> (seeded into the primary folder, default 10 000),
/// <c>--size BYTES</c> (of each message, default 10 240), <c>--incremental N</c> (new messages for the incremental run,
/// default 100).
/// </summary>
internal sealed record MailboxSyncArguments(int Messages, int Size, int Incremental)
{
    public const string Usage = """
        usage: sync [--messages N] [--size BYTES] [--incremental N]
          (tests/Continuity.Benchmarks/sync-vs-mbsync.sh installs isync, Dovecot and redis-server when missing and runs this)
        """;

    public static MailboxSyncArguments? Parse(string[] args)
    {
        var pairs = args.SkipWhile(a => a == "sync").ToArray();
        if (pairs.Length % 2 != 0)
        {
            return null;
        }

        int messages = 10_000, size = 10_240, incremental = 100;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            var ok = pairs[i] switch
            {
                "--messages" => Int(pairs[i + 1], out messages),
                "--size" => Int(pairs[i + 1], out size) && size >= 1024,
                "--incremental" => Int(pairs[i + 1], out incremental),
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }

        return new MailboxSyncArguments(messages, size, incremental);
    }

    private static bool Int(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
