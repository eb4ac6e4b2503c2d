using System.Text.Json.Serialization.Metadata;

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
        queue.Subcommands.Add(Act("show", "Show one message with its recipients (JSON)", AdminJsonContext.Default.QueuedMessageView,
            (client, path, answer) => client.GetAsync(path, answer), _ => null));
        queue.Subcommands.Add(Act("retry", "Try delivering the message now", AdminJsonContext.Default.ItemStatusAnswer,
            (client, path, answer) => client.PostAsync(path + "/retry", answer), a => a.Status));
        queue.Subcommands.Add(Act("delete", "Delete the message for your tenant's recipients (audited first)", AdminJsonContext.Default.ItemStatusAnswer,
            (client, path, answer) => client.DeleteAsync(path, answer), a => a.Status));
        return [queue];
    }

    /// <summary>A verb on one message: the call, and the status line it prints (none: the message as JSON).</summary>
    private static Command Act<T>(string verb, string description, JsonTypeInfo<T> answer, Func<AdminClient, string, JsonTypeInfo<T>, Task<AdminResponse<T>>> call, Func<T, string?> status)
    {
        var id = new Argument<string>("ID") { Description = "The message id (from 'continuity queue list')" };
        return CliOptions.AdminCommand(verb, description, id).Runs(async c =>
        {
            var messageId = c.Required(id);
            using var client = c.Client();
            var response = await call(client, $"admin/api/queue/{Uri.EscapeDataString(messageId)}", answer);
            if (!response.Ok)
            {
                return c.Fail(response);
            }

            if (!c.Json && status(response.Value!) is { } line)
            {
                c.Out.WriteLine($"message {messageId}: {line}");
            }
            else
            {
                c.WriteJson(response.Json);
            }

            return ExitCode.Ok;
        });
    }

    private static async Task<int> ListAsync(CliContext c, string? recipient, string? state)
    {
        var query = string.Join("&", new[] { ("recipient", recipient), ("state", state) }
            .Where(q => q.Item2 is not null).Select(q => $"{q.Item1}={Uri.EscapeDataString(q.Item2!)}"));
        using var client = c.Client();
        var response = await client.GetAsync("admin/api/queue" + (query.Length > 0 ? "?" + query : ""), AdminJsonContext.Default.QueueListing);
        return c.Answer(response, listing =>
        {
            c.Out.WriteLine($"{listing.Count} message(s) in this node's queue; oldest {listing.OldestAgeSeconds:0} s");
            foreach (var message in listing.Messages)
            {
                c.Out.WriteLine($"{message.Id}  from <{message.From}>  {message.Size} bytes  received {CliContext.Time(message.ReceivedAt)}");
                foreach (var r in message.Recipients)
                {
                    c.Out.WriteLine($"    {r.Address}  {r.State}  via {r.Provider}  attempts {r.Attempts}{(r.LastError is { } e ? "  — " + e : "")}");
                }
            }
        });
    }
}
