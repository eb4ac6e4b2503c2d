using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Continuity.Benchmarks;

// Figures go to stdout, one line each: `name: value unit (peer: value unit, ratio: x)`.
// Context (what was measured, how many samples) goes to stderr prefixed with '#'.
const string Usage = """
    usage: dotnet run -c Release --project tests/Continuity.Benchmarks -- routes|propagation|lookup|mx|imap|sync|token|web|drill [--changes N]
      routes       both figures below
      propagation  route change on gateway A → in-memory snapshot of node B, vs raw redis PUBLISH → subscriber
      lookup       RouteTable.Resolve on 10 000 user overrides, vs Dictionary<string,string>.TryGetValue
      mx           MX accepting 10 KB messages durably vs a local Postfix (run through mx-vs-postfix.sh)
      imap         IMAP session set-up and NOOP: direct, nginx mail proxy, gateway (run through imap-vs-nginx.sh)
      sync         mailbox copy of 10 000 messages and an incremental run, vs mbsync (run through sync-vs-mbsync.sh)
      token        OIDC token endpoint req/s (client credentials vs a bare JWT endpoint; refresh) and the code flow's gateway time
      web          HTTP through the web gateway vs nginx as a reverse proxy, with wrk (run through web-vs-nginx.sh)
      drill        the continuity story's failover, timed: approval → sovereign sign-in, mail, IMAP; refusal → suggestion
    """;

var what = args.FirstOrDefault() ?? "routes";
if (what == WebYarpFloor.Verb)
{
    return await WebYarpFloor.ServeAsync(args);
}

if (what == "token")
{
    return await TokenBenchmark.RunAsync(args);
}

var changes = 300;
var at = Array.IndexOf(args, "--changes");
if (at >= 0 && (at + 1 >= args.Length || !int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out changes) || changes < 1))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (what is not ("routes" or "propagation" or "lookup" or "mx" or "imap" or "sync" or "web" or DrillBenchmark.Verb))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (typeof(Figure).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
{
    Console.Error.WriteLine("Build the benchmarks in Release: dotnet run -c Release --project tests/Continuity.Benchmarks -- " + what);
    return 2;
}

if (what == DrillBenchmark.Verb)
{
    try
    {
        return await DrillBenchmark.RunAsync(Console.Out, Console.Error);
    }
    catch (InvalidOperationException ex) when (ex.Message.Contains("apt-get install", StringComparison.Ordinal) || ex.Message.Contains("npm ci", StringComparison.Ordinal))
    {
        Console.Error.WriteLine(ex.Message); // a missing program or package: say how to install it
        return 1;
    }
}

if (what == "mx")
{
    return await MxThroughputBenchmark.RunAsync(args);
}

if (what == "imap")
{
    return await ImapSessionBenchmark.RunAsync(args);
}

if (what == "web")
{
    return await WebBenchmark.RunAsync(args);
}

if (what == "sync")
{
    return await MailboxSyncBenchmark.RunAsync(args);
}

try
{
    if (what is "routes" or "propagation")
    {
        foreach (var figure in await RoutePropagationBenchmark.RunAsync(changes, warmup: 20, Console.Error))
        {
            Console.WriteLine(figure);
        }
    }

    if (what is "routes" or "lookup")
    {
        Console.WriteLine(RouteLookupBenchmarks.Run(Console.Error));
    }

    return 0;
}
catch (InvalidOperationException ex) when (ex.Message.Contains("apt-get install", StringComparison.Ordinal))
{
    // A missing program (redis-server): say how to install it.
    Console.Error.WriteLine(ex.Message);
    return 1;
}
