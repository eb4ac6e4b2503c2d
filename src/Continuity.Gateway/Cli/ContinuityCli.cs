using Continuity.Gateway.Admin;
using Continuity.Gateway.Hosting;

namespace Continuity.Gateway.Cli;

/// <summary>
/// The <c>continuity</c> command. <c>serve</c> (the default) runs the gateway; every other verb
/// calls the admin API of a running gateway (<c>--url</c>/<c>CONTINUITY_URL</c>,
/// <c>--api-key</c>/<c>CONTINUITY_API_KEY</c>), prints human output or <c>--json</c>, and exits
/// non-zero on failure.
/// </summary>
internal static partial class ContinuityCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public const string Help = """
        continuity — tenant identity and mail continuity gateway

          continuity [serve] [--config FILE] [--data-dir DIR] [--urls URLS]
          continuity config check [--config FILE]        (every error with its path; exit 2 if any)
          continuity config show [--config FILE]         (the effective configuration as JSON, secrets redacted)
          continuity health [--url URL] [--timeout S]   (exit 0 when the node's /health/ready answers 200, else 1; no API key)
          continuity route show [--tenant T]
          continuity route set --tenant T [--user ADDRESS] --to PROVIDER --reason TEXT [--expected-version N]
          continuity approvals
          continuity approve ID
          continuity reject ID [--reason TEXT]
          continuity users list --tenant T
          continuity users import --tenant T FILE      (one address per line, or CSV with the address first)
          continuity audit show [--tenant T] [--count N]
          continuity audit verify [--tenant T]          (the tenant's keyed hash chain; default the caller's tenant)
          continuity audit head --tenant T              (records and head hash: keep it outside the store)
          continuity queue list [--recipient A] [--state pending|held|failed|delivered]
          continuity queue show|retry|delete ID          (this node's mail spool; delete is audited)
          continuity accounts import --tenant T FILE     (JSON [{email,name?,links:[{provider,issuer?,subject}]}] or CSV email,provider,subject[,name])
          continuity accounts show --tenant T ADDRESS    (the gateway account id and its upstream links)
          continuity accounts revoke --tenant T ADDRESS --reason TEXT   (ends sessions, refresh tokens and authorizations on every node)
          continuity sync status --tenant T [--user ADDRESS]   (mailbox copy primary → sovereign: lag, copied, errors)
          continuity sync now --tenant T --user ADDRESS
          continuity readiness --tenant T [--user ADDRESS]   (if we fail over now, what breaks? exit 1 when a user is not ready)
          continuity drill --tenant T --user ADDRESS [--user …] [--live]   (continuity drill; --live moves test users and back)
          continuity apikey new                        (prints a new admin API key and the hash for the configuration)

        Admin verbs use --url (or CONTINUITY_URL, default http://127.0.0.1:8080) and --api-key (or CONTINUITY_API_KEY).
        Add --json for machine-readable output.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var cli = new CliArguments(args);
        var verb = cli.Words.Count == 0 ? "serve" : cli.Word(0);
        if (cli.Has("help") && verb != "serve")
        {
            await stdout.WriteAsync(Help);
            return Ok;
        }

        try
        {
            return verb switch
            {
                "serve" => await ServeAsync(args, cli, stderr),
                "config" when cli.Word(1) == "check" => ConfigCheck(cli, stdout, stderr),
                "config" when cli.Word(1) == "show" => ConfigShow(cli, stdout, stderr),
                "health" => await HealthAsync(cli, stdout, stderr),
                "route" when cli.Word(1) == "show" => await RouteShowAsync(cli, stdout, stderr),
                "route" when cli.Word(1) == "set" => await RouteSetAsync(cli, stdout, stderr),
                "approvals" or "pending" => await ApprovalsAsync(cli, stdout, stderr),
                "approve" => await DecideAsync(cli, "approve", stdout, stderr),
                "reject" => await DecideAsync(cli, "reject", stdout, stderr),
                "users" when cli.Word(1) == "list" => await UsersListAsync(cli, stdout, stderr),
                "users" when cli.Word(1) == "import" => await UsersImportAsync(cli, stdout, stderr),
                "audit" when cli.Word(1) == "show" => await AuditShowAsync(cli, stdout, stderr),
                "audit" when cli.Word(1) == "verify" => await AuditVerifyAsync(cli, stdout, stderr),
                "audit" when cli.Word(1) == "head" => await AuditHeadAsync(cli, stdout, stderr),
                "queue" when cli.Word(1) is "list" or "" => await QueueListAsync(cli, stdout, stderr),
                "queue" when cli.Word(1) == "show" => await QueueShowAsync(cli, stdout, stderr),
                "queue" when cli.Word(1) is "retry" or "delete" => await QueueActAsync(cli, stdout, stderr),
                "accounts" => await AccountsAsync(cli, stdout, stderr),
                "sync" when cli.Word(1) is "status" or "" => await SyncStatusAsync(cli, stdout, stderr),
                "sync" when cli.Word(1) == "now" => await SyncNowAsync(cli, stdout, stderr),
                "readiness" => await ReadinessAsync(cli, stdout, stderr),
                "drill" => await DrillAsync(cli, stdout, stderr),
                "apikey" when cli.Word(1) == "new" => ApiKeyNew(stdout),
                "help" => await WriteAsync(stdout, Help, Ok),
                _ => await WriteAsync(stderr, $"unknown command: {string.Join(' ', cli.Words)}\n\n{Help}", Usage),
            };
        }
        catch (UsageException ex)
        {
            return await WriteAsync(stderr, $"{ex.Message}\n(see 'continuity help')\n", Usage);
        }
    }

    private static async Task<int> ServeAsync(string[] args, CliArguments cli, TextWriter stderr)
    {
        var configFile = cli["config"];
        var dataDir = cli["data-dir"];
        if (configFile is not null && !File.Exists(configFile))
        {
            return await WriteAsync(stderr, $"configuration file not found: {configFile}\n", Usage);
        }

        // Validate before anything starts (the embedded store, listeners): every error of every part at once.
        var errors = ValidateAll(configFile, dataDir, args);
        if (errors.Count > 0)
        {
            return await WriteAsync(stderr, "The configuration is not valid:\n" + string.Concat(errors.Select(e => $"  {e}\n")), Usage);
        }

        // Before any file is made, by this code or a library (Garnet's AOF): new files are the gateway user's only.
        Core.IO.PrivateFiles.RestrictUmask();
        var hostArgs = args.SkipWhile(a => a == "serve").ToArray();
        await using var app = GatewayHost.Build(hostArgs, configFile, dataDir);
        await app.RunAsync();
        return Ok;
    }

    private static async Task<int> ReadinessAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Require(cli, "tenant");
        using var client = AdminClient.Create(cli);
        return await DrillCommands.ReadinessAsync(client, tenant, cli["user"], cli.Has("json"), stdout, stderr);
    }

    private static async Task<int> DrillAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Require(cli, "tenant");
        var users = cli.All("user");
        if (users.Count == 0)
        {
            throw new UsageException("--user is required (once per user to drill)");
        }

        using var client = AdminClient.Create(cli);
        return await DrillCommands.DrillAsync(client, tenant, users, cli.Has("live"), cli.Has("json"), stdout, stderr);
    }

    private static int ApiKeyNew(TextWriter stdout)
    {
        var key = AdminKeyring.NewKey();
        stdout.WriteLine($"key:  {key}");
        stdout.WriteLine($"hash: {AdminKeyring.Hash(key)}");
        stdout.WriteLine("Put the hash in Continuity:Tenants:<tenant>:Admins:<admin>:ApiKeyHashes; give the key to the admin. It is shown only now.");
        return Ok;
    }

    private static async Task<int> WriteAsync(TextWriter writer, string text, int code)
    {
        await writer.WriteAsync(text);
        return code;
    }

    private static string Require(CliArguments cli, string name) =>
        cli[name] is { Length: > 0 } value && value != "true" ? value : throw new UsageException($"--{name} is required");

    private sealed class UsageException(string message) : Exception(message);
}
