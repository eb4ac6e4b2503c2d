namespace Continuity.Gateway.Cli.Verbs;

/// <summary><c>continuity help [VERB…]</c>: the same text as <c>continuity [VERB…] --help</c>.</summary>
internal static class HelpVerb
{
    public static IEnumerable<Command> Create()
    {
        var verb = new Argument<string[]>("VERB") { Description = "The verb (and sub-verb) to describe", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Describe continuity, or one of its verbs") { verb }
            .Runs(c => ContinuityCli.RunAsync([.. c.Get(verb) ?? [], "--help"], c.Out, c.Error));
        return [help];
    }
}
