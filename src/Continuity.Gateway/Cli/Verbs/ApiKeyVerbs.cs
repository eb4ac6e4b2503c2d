using Continuity.Gateway.Admin;

namespace Continuity.Gateway.Cli.Verbs;

/// <summary><c>apikey new</c>: a new admin API key and the hash that goes in the configuration (offline).</summary>
internal static class ApiKeyVerbs
{
    public static IEnumerable<Command> Create()
    {
        var create = new Command("new", "Print a new admin API key and the hash for the configuration").Runs(c =>
        {
            var key = AdminKeyring.NewKey();
            c.Out.WriteLine($"key:  {key}");
            c.Out.WriteLine($"hash: {SecretHash.Of(key)}");
            c.Out.WriteLine("Put the hash in Continuity:Tenants:<tenant>:Admins:<admin>:ApiKeyHashes; give the key to the admin. It is shown only now.");
            return Task.FromResult(ExitCode.Ok);
        });
        return [new Command("apikey", "Admin API keys") { create }];
    }
}
