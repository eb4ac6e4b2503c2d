using System.Text.Json.Nodes;

namespace Continuity.Gateway.Cli;

/// <summary>The mailbox sync verbs.</summary>
internal static partial class ContinuityCli
{
    private static async Task<int> SyncStatusAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Uri.EscapeDataString(Require(cli, "tenant"));
        using var client = AdminClient.Create(cli);
        var response = cli["user"] is { } user
            ? await client.GetAsync($"admin/api/tenants/{tenant}/sync/{Uri.EscapeDataString(user)}")
            : await client.GetAsync($"admin/api/tenants/{tenant}/sync");
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        if (cli.Has("json"))
        {
            stdout.WriteLine(response.Json!.ToJsonString(Indented));
            return Ok;
        }

        var states = response.Json is JsonArray array ? array.ToList() : [response.Json];
        if (states.Count == 0)
        {
            stdout.WriteLine("no user has been synced yet");
        }

        foreach (var s in states)
        {
            stdout.WriteLine(SyncLine(s!));
        }

        return Ok;
    }

    private static async Task<int> SyncNowAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Uri.EscapeDataString(Require(cli, "tenant"));
        var user = Uri.EscapeDataString(Require(cli, "user"));
        using var client = AdminClient.Create(cli);
        var response = await client.PostAsync($"admin/api/tenants/{tenant}/sync/{user}/run", new { });
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        stdout.WriteLine(cli.Has("json") ? response.Json!.ToJsonString(Indented) : SyncLine(response.Json!));
        return response.Json!["lastError"] is null ? Ok : Failed;
    }

    private static string SyncLine(JsonNode s)
    {
        var lag = s["lagSeconds"] is JsonNode seconds ? $"lag {seconds.GetValue<double>():0} s" : "never synced";
        var stale = s["stale"]?.GetValue<bool>() == true ? " STALE" : "";
        var error = s["lastError"] is JsonNode e ? $"  error: {e}" : "";
        return $"{s["user"]}  {lag}{stale}  last {s["lastDirection"]} run {s["lastSuccess"]}  copied {s["messagesCopied"]} (total {s["totalCopied"]})  flags {s["flagsUpdated"]}{error}";
    }
}
