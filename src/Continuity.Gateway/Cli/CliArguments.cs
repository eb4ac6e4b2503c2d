namespace Continuity.Gateway.Cli;

/// <summary>
/// Parsed command line: positional words, <c>--name value</c> options and bare flags. Unknown
/// options are kept for <c>serve</c>, which passes them to ASP.NET Core (<c>--urls</c>, <c>--Continuity:…</c>).
/// </summary>
internal sealed class CliArguments
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "json", "help", "live" };

    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);

    public CliArguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var name = arg[2..];
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    Set(name[..eq], name[(eq + 1)..]);
                }
                else if (Flags.Contains(name) || i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    _options[name] = "true";
                }
                else
                {
                    Set(name, args[++i]);
                }
            }
            else if (arg is "-h")
            {
                _options["help"] = "true";
            }
            else
            {
                Words.Add(arg);
            }
        }
    }

    public List<string> Words { get; } = [];

    public string? this[string name] => _options.GetValueOrDefault(name);

    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>Every value of an option given more than once (<c>--user a --user b</c>), in order.</summary>
    public IReadOnlyList<string> All(string name) => _repeated.TryGetValue(name, out var values) ? values : [];

    private void Set(string name, string value)
    {
        _options[name] = value;
        if (!_repeated.TryGetValue(name, out var values))
        {
            _repeated[name] = values = [];
        }

        values.Add(value);
    }

    public string Word(int index) => index < Words.Count ? Words[index] : "";
}
