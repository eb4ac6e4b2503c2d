using System.Text.Json.Nodes;

namespace Continuity.Gateway.Cli;

/// <summary>The mail queue verbs (one node's spool: point --url at the node).</summary>
internal static partial class ContinuityCli
{
    private static async Task<int> QueueListAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var query = string.Join("&", new[] { ("recipient", cli["recipient"]), ("state", cli["state"]) }
            .Where(q => q.Item2 is not null).Select(q => $"{q.Item1}={Uri.EscapeDataString(q.Item2!)}"));
        using var client = AdminClient.Create(cli);
        var response = await client.GetAsync("admin/api/queue" + (query.Length > 0 ? "?" + query : ""));
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        if (cli.Has("json"))
        {
            stdout.WriteLine(response.Json!.ToJsonString(Indented));
            return Ok;
        }

        var json = response.Json!;
        stdout.WriteLine($"{json["count"]} message(s) in this node's queue; oldest {json["oldestAgeSeconds"]!.GetValue<double>():0} s");
        foreach (var message in json["messages"]!.AsArray())
        {
            stdout.WriteLine($"{message!["id"]}  from <{message["from"]}>  {message["size"]} bytes  received {message["receivedAt"]}");
            foreach (var r in message["recipients"]!.AsArray())
            {
                stdout.WriteLine($"    {r!["address"]}  {r["state"]}  via {r["provider"]}  attempts {r["attempts"]}{(r["lastError"] is JsonNode e ? "  — " + e : "")}");
            }
        }

        return Ok;
    }

    private static async Task<int> QueueShowAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var id = RequireWord(cli, 2, "usage: continuity queue show ID");
        using var client = AdminClient.Create(cli);
        var response = await client.GetAsync($"admin/api/queue/{Uri.EscapeDataString(id)}");
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        stdout.WriteLine(response.Json!.ToJsonString(Indented));
        return Ok;
    }

    private static async Task<int> QueueActAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var verb = cli.Word(1);
        var id = RequireWord(cli, 2, $"usage: continuity queue {verb} ID");
        using var client = AdminClient.Create(cli);
        var path = $"admin/api/queue/{Uri.EscapeDataString(id)}";
        var response = verb == "retry" ? await client.PostAsync(path + "/retry", new { }) : await client.DeleteAsync(path);
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        stdout.WriteLine(cli.Has("json") ? response.Json!.ToJsonString(Indented) : $"message {id}: {response.Json!["status"]}");
        return Ok;
    }

    private static string RequireWord(CliArguments cli, int index, string usage) =>
        cli.Word(index) is { Length: > 0 } word ? word : throw new UsageException(usage);
}
