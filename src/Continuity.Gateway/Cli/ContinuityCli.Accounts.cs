using System.Net.Http.Headers;

namespace Continuity.Gateway.Cli;

/// <summary>
/// The account verbs: import account links from a directory export, show an account and its links,
/// revoke a user's sessions, tokens and authorizations.
/// </summary>
internal static partial class ContinuityCli
{
    public const string AccountsHelp = """
          continuity accounts import --tenant T FILE     (JSON [{email,name?,links:[{provider,issuer?,subject}]}] or CSV email,provider,subject[,name])
          continuity accounts show --tenant T ADDRESS    (the gateway account id and its upstream links)
          continuity accounts revoke --tenant T ADDRESS --reason TEXT   (ends sessions, refresh tokens and authorizations on every node)
        """;

    /// <summary><c>continuity accounts import|show|revoke …</c> (one dispatch entry for the three verbs).</summary>
    internal static async Task<int> AccountsAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return cli.Word(1) switch
            {
                "import" => await AccountsImportAsync(cli, stdout, stderr),
                "show" => await AccountsShowAsync(cli, stdout, stderr),
                "revoke" => await AccountsRevokeAsync(cli, stdout, stderr),
                _ => throw new UsageException("usage: continuity accounts import|show|revoke --tenant T …"),
            };
        }
        catch (UsageException ex)
        {
            return await WriteAsync(stderr, $"{ex.Message}\n(see 'continuity help')\n", Usage);
        }
    }

    private static async Task<int> AccountsImportAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Require(cli, "tenant");
        var file = cli.Word(2);
        if (file.Length == 0 || !File.Exists(file))
        {
            throw new UsageException("usage: continuity accounts import --tenant T FILE (the file must exist)");
        }

        var bytes = await File.ReadAllBytesAsync(file);
        var json = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || bytes.AsSpan().TrimStart((byte)' ').TrimStart("\uFEFF"u8) is [(byte)'[', ..];
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(json ? "application/json" : "text/csv");
        var response = await PostFileAsync(cli, $"admin/api/tenants/{Uri.EscapeDataString(tenant)}/accounts/import", content);
        if (!response.Ok)
        {
            stderr.WriteLine($"error: {response.Error}");
            foreach (var error in response.Json?["errors"]?.AsArray() ?? [])
            {
                stderr.WriteLine($"  line {error!["line"]}: {error["message"]}");
            }

            return Failed;
        }

        var r = response.Json!;
        if (r["status"]?.GetValue<string>() == "pending")
        {
            // Two-person rule: the checked file waits for a second admin.
            var id = r["request"]!["id"]!.GetValue<string>();
            stdout.WriteLine(cli.Has("json") ? r.ToJsonString(Indented)
                : $"{r["rows"]} link(s) checked; waiting for approval — request {id} (expires {r["request"]!["expiresAt"]}); a second admin runs: continuity approve {id}");
            return Ok;
        }

        var conflicts = r["conflicts"]!.AsArray();
        if (cli.Has("json"))
        {
            stdout.WriteLine(r.ToJsonString(Indented));
        }
        else
        {
            stdout.WriteLine($"{r["rows"]} link(s) read: {r["linksCreated"]} created, {r["linksExisting"]} already there, {conflicts.Count} conflict(s); {r["accountsCreated"]} new account(s) (audit #{r["auditSeq"]})");
            foreach (var c in conflicts)
            {
                stderr.WriteLine($"  line {c!["line"]}: {c["email"]} {c["provider"]} {c["subject"]}: {c["reason"]}");
            }
        }

        // The rest was imported; a conflict still needs a person to look at it.
        return conflicts.Count == 0 ? Ok : Failed;
    }

    private static async Task<int> AccountsShowAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Require(cli, "tenant");
        var address = RequireWord(cli, 2, "usage: continuity accounts show --tenant T ADDRESS");
        using var client = AdminClient.Create(cli);
        var response = await client.GetAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/accounts/{Uri.EscapeDataString(address)}");
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        var a = response.Json!;
        if (cli.Has("json"))
        {
            stdout.WriteLine(a.ToJsonString(Indented));
            return Ok;
        }

        stdout.WriteLine($"{a["email"]}  account {a["id"]}{(a["name"] is { } name ? $"  ({name})" : "")}");
        foreach (var link in a["links"]!.AsArray())
        {
            stdout.WriteLine($"  {link!["provider"]}  {link["issuer"]}  {link["subject"]}");
        }

        if (a["sessionsRevokedAt"] is { } revoked)
        {
            stdout.WriteLine($"  sessions revoked at {revoked}");
        }

        return Ok;
    }

    private static async Task<int> AccountsRevokeAsync(CliArguments cli, TextWriter stdout, TextWriter stderr)
    {
        var tenant = Require(cli, "tenant");
        var address = RequireWord(cli, 2, "usage: continuity accounts revoke --tenant T ADDRESS --reason TEXT");
        var reason = Require(cli, "reason");
        using var client = AdminClient.Create(cli);
        var response = await client.PostAsync($"admin/api/tenants/{Uri.EscapeDataString(tenant)}/accounts/{Uri.EscapeDataString(address)}/revoke", new { reason });
        if (!response.Ok)
        {
            return Fail(stderr, response);
        }

        var r = response.Json!;
        stdout.WriteLine(cli.Has("json") ? r.ToJsonString(Indented)
            : $"{r["email"]}: sessions ended on every node, {r["tokensRevoked"]} token(s) and {r["authorizationsRevoked"]} authorization(s) revoked (audit #{r["auditSeq"]})");
        return Ok;
    }

    /// <summary>
    /// A raw body POST (the import sends the file as it is, so the server can name its lines). Same
    /// --url/--api-key rules as <see cref="AdminClient"/>, which only sends JSON objects.
    /// </summary>
    private static async Task<AdminResponse> PostFileAsync(CliArguments cli, string path, HttpContent content)
    {
        var url = cli["url"] ?? Environment.GetEnvironmentVariable("CONTINUITY_URL") ?? "http://127.0.0.1:8080";
        var key = cli["api-key"] ?? Environment.GetEnvironmentVariable("CONTINUITY_API_KEY");
        using var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(120) };
        if (!string.IsNullOrEmpty(key))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        try
        {
            using var response = await http.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();
            System.Text.Json.Nodes.JsonNode? json = null;
            try
            {
                json = text.Length > 0 ? System.Text.Json.Nodes.JsonNode.Parse(text) : null;
            }
            catch (System.Text.Json.JsonException)
            {
            }

            return new AdminResponse(response.StatusCode, json, text);
        }
        catch (HttpRequestException ex)
        {
            return new AdminResponse(0, null, $"cannot reach the gateway at {http.BaseAddress}: {ex.Message}");
        }
        catch (TaskCanceledException)
        {
            return new AdminResponse(0, null, $"the gateway at {http.BaseAddress} did not answer in time");
        }
    }
}
