using System.CommandLine;
using System.Text.Json.Nodes;

namespace Continuity.Gateway.Cli.Verbs;

/// <summary>
/// <c>queue [list]|show|retry|delete</c>: one node's mail spool (point <c>--url</c> at the node), the caller's tenant's
/// recipients only. <c>queue</c> alone lists.
/// </summary>
internal static class QueueVerbs
{
    private static readonly string[] States = ["pending", "held", "failed", "delivered", "dropped"];

    public static IEnumerable<Command> Create()
    {
        var recipient = CliOptions.Text("--recipient", "ADDRESS", "Only messages to this recipient", required: false);
        var state = new Option<string>("--state") { Description = "Only messages with a recipient in this state", HelpName = "STATE" }
            .AcceptOnlyFromAmong(States);
        var list = CliOptions.AdminCommand("list", "List this node's queued messages (the default)", recipient, state)
            .Runs(c => ListAsync(c, c.Get(recipient), c.Get(state)));

        var queue = CliOptions.AdminCommand("queue", "This node's mail queue", recipient, state, list);
        queue.Runs(c => ListAsync(c, c.Get(recipient), c.Get(state)));
        queue.Subcommands.Add(Act("show", "Show one message with its recipients", (client, path) => client.GetAsync(path)));
        queue.Subcommands.Add(Act("retry", "Try delivering the message now", (client, path) => client.PostAsync(path + "/retry", new { })));
        queue.Subcommands.Add(Act("delete", "Delete the message for your tenant's recipients (audited first)", (client, path) => client.DeleteAsync(path)));
        return [queue];
    }

    private static Command Act(string verb, string description, Func<AdminClient, string, Task<AdminResponse>> call)
    {
        var id = new Argument<string>("ID") { Description = "The message id (from 'continuity queue list')" };
        return CliOptions.AdminCommand(verb, description, id).Runs(async c =>
        {
            var messageId = c.Required(id);
            using var client = c.Client();
            var response = await call(client, $"admin/api/queue/{Uri.EscapeDataString(messageId)}");
            if (!response.Ok)
            {
                return c.Fail(response);
            }

            if (c.Json || verb == "show")
            {
                c.WriteJson(response.Json);
            }
            else
            {
                c.Out.WriteLine($"message {messageId}: {response.Json!["status"]}");
            }

            return ExitCode.Ok;
        });
    }

    private static async Task<int> ListAsync(CliContext c, string? recipient, string? state)
    {
        var query = string.Join("&", new[] { ("recipient", recipient), ("state", state) }
            .Where(q => q.Item2 is not null).Select(q => $"{q.Item1}={Uri.EscapeDataString(q.Item2!)}"));
        using var client = c.Client();
        var response = await client.GetAsync("admin/api/queue" + (query.Length > 0 ? "?" + query : ""));
        if (!response.Ok)
        {
            return c.Fail(response);
        }

        if (c.Json)
        {
            c.WriteJson(response.Json);
            return ExitCode.Ok;
        }

        var json = response.Json!;
        c.Out.WriteLine($"{json["count"]} message(s) in this node's queue; oldest {json["oldestAgeSeconds"]!.GetValue<double>():0} s");
        foreach (var message in json["messages"]!.AsArray())
        {
            c.Out.WriteLine($"{message!["id"]}  from <{message["from"]}>  {message["size"]} bytes  received {message["receivedAt"]}");
            foreach (var r in message["recipients"]!.AsArray())
            {
                c.Out.WriteLine($"    {r!["address"]}  {r["state"]}  via {r["provider"]}  attempts {r["attempts"]}{(r["lastError"] is JsonNode e ? "  — " + e : "")}");
            }
        }

        return ExitCode.Ok;
    }
}
