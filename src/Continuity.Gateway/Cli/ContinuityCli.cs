using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Continuity.Gateway.Cli.Verbs;

namespace Continuity.Gateway.Cli;

/// <summary>
/// The <c>continuity</c> command (System.CommandLine). <c>serve</c> (the default) runs the gateway; every other verb
/// calls the admin API of a running gateway, prints human output or <c>--json</c>, and exits with an
/// <see cref="ExitCode"/>. Each verb family is one file under <c>Verbs/</c> with one <c>Create()</c> factory, listed in
/// <see cref="Verbs"/>.
/// </summary>
internal static class ContinuityCli
{
    /// <summary>The verb families in the order <c>--help</c> lists them. A new family: a file in Verbs/ and one line here.</summary>
    private static readonly Func<IEnumerable<Command>>[] Verbs =
    [
        ServeVerb.Create,
        ConfigVerbs.Create,
        HealthVerb.Create,
        RouteVerbs.Create,
        ApprovalVerbs.Create,
        UserVerbs.Create,
        AuditVerbs.Create,
        QueueVerbs.Create,
        AccountVerbs.Create,
        SyncVerbs.Create,
        DrillVerbs.Create,
        ApiKeyVerbs.Create,
        HelpVerb.Create,
    ];

    private const string Epilog = """
        Admin verbs call a running gateway: --url (or CONTINUITY_URL, default http://127.0.0.1:8080) and
        --api-key (or CONTINUITY_API_KEY); --json prints the gateway's answer as JSON.

        Exit codes:
          0  done
          1  the operation failed: the gateway refused it or could not be reached, the node is not ready,
             the audit chain is broken, an import left conflicts, a sync run ended with an error
          2  usage or configuration error (unknown verb or option, missing or mistyped value, missing file,
             invalid configuration): nothing was sent and nothing was started
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parse = CreateRoot().Parse(ServeByDefault(args));
        // Help and --version answer whatever else is on the line; anything else runs only on a clean parse.
        List<string> errors = parse.Action is ParseErrorAction || parse.Action == parse.CommandResult.Command.Action
            ? [.. OptionsWithoutValue(parse), .. parse.Errors.Select(e => e.Message)]
            : [];
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"error: {error}");
            }

            await stderr.WriteLineAsync($"Run '{CommandPath(parse.CommandResult)} --help' for usage.");
            return ExitCode.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // Exceptions are bugs: they surface as such, not as exit 1 that looks like a refused call.
            EnableDefaultExceptionHandler = false,
            // Ctrl+C and SIGTERM belong to the host that serve runs (graceful shutdown), not to the parser. For every
            // other verb they cancel the action's token: the admin call stops waiting (cancelled, exit 1).
            ProcessTerminationTimeout = parse.CommandResult.Command.Name == "serve" ? null : TimeSpan.FromSeconds(2),
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("error: cancelled");
            return ExitCode.Failed;
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            await stderr.WriteLineAsync($"Run '{CommandPath(parse.CommandResult)} --help' for usage.");
            return ExitCode.Usage;
        }
    }

    /// <summary>The whole command tree, with the root's help ending in the connection and exit code notes.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("continuity — tenant identity and mail continuity gateway");
        foreach (var command in Verbs.SelectMany(create => create()))
        {
            root.Subcommands.Add(command);
        }

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new RootHelpAction((HelpAction)help.Action!);
        return root;
    }

    /// <summary>No verb means <c>serve</c>: <c>continuity</c> and <c>continuity --config FILE</c> start the gateway, as before.</summary>
    private static string[] ServeByDefault(string[] args) =>
        args is [] || (args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "-?" or "--version"))
            ? ["serve", .. args]
            : args;

    /// <summary>
    /// An option whose value is the next option (<c>--tenant --json</c>: the parser gives --tenant the value "--json"):
    /// the value is missing. A value that really starts with "--" cannot be given; none of the verbs takes one.
    /// </summary>
    private static List<string> OptionsWithoutValue(ParseResult parse)
    {
        var errors = new List<string>();
        for (SymbolResult? command = parse.CommandResult; command is not null; command = command.Parent)
        {
            foreach (var option in ((CommandResult)command).Children.OfType<OptionResult>())
            {
                if (option.Tokens.FirstOrDefault(t => t.Value.StartsWith("--", StringComparison.Ordinal)) is { } next)
                {
                    errors.Add($"Required argument missing for option: '{option.Option.Name}' (the next word, '{next.Value}', is an option).");
                }
            }
        }

        return errors;
    }

    /// <summary>The standard help, and after the root's the connection and exit code notes.</summary>
    private sealed class RootHelpAction(HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            if (parseResult.CommandResult.Command is RootCommand)
            {
                parseResult.InvocationConfiguration.Output.WriteLine(Epilog);
            }

            return code;
        }
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Add(c.Command is RootCommand ? "continuity" : c.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
