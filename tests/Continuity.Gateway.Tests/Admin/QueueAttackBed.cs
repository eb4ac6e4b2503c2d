using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Continuity.Core.Configuration;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>
/// The built <c>continuity</c> executable as a child process (embedded store) with its MX on 127.0.0.1 and two tenants
/// whose inbound mail goes to one <see cref="SlowLmtpBackend"/>: <c>demo</c> (alice, bob; Operators ops and second) and
/// <c>other</c> (dana; its own Operator, <see cref="OtherKey"/>). Mail comes in over raw SMTP; admin requests are built
/// by hand (one bearer key, no cookies, no redirects), as an attacker's script sends them.
/// </summary>
internal sealed class QueueAttackBed : IAsyncDisposable
{
    /// <summary>Operator of tenant <c>other</c> (<c>ops@other.test</c>).</summary>
    public const string OtherKey = "other-ops-key";

    public const string Dana = "dana@other.test";

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private QueueAttackBed(SlowLmtpBackend backend, GatewayProcess gateway, int smtpPort)
    {
        Backend = backend;
        Gateway = gateway;
        SmtpPort = smtpPort;
    }

    public SlowLmtpBackend Backend { get; }

    public GatewayProcess Gateway { get; }

    public int SmtpPort { get; }

    /// <summary>How long the gateway took to start (for the test's output).</summary>
    public TimeSpan StartedIn { get; private init; }

    /// <param name="retryDelay">Every retry waits this long (first and longest delay alike).</param>
    public static async Task<QueueAttackBed> StartAsync(TimeSpan retryDelay)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var backend = SlowLmtpBackend.Start();
        try
        {
            var smtpPort = FreePort.Next();
            var gateway = await GatewayProcess.StartAsync("queue", Options(backend, smtpPort), sections: root => root["Continuity"]!["Mail"] = Mail(retryDelay));
            return new QueueAttackBed(backend, gateway, smtpPort) { StartedIn = clock.Elapsed };
        }
        catch
        {
            await backend.DisposeAsync();
            throw;
        }
    }

    /// <summary>The demo tenant delivering to <paramref name="backend"/>, and tenant <c>other</c> (dana) delivering there too.</summary>
    private static ContinuityOptions Options(SlowLmtpBackend backend, int smtpPort)
    {
        var options = GatewayConfig.Demo(redis: null);
        options.Listeners.Smtp = smtpPort;
        options.Tenants[GatewayConfig.Tenant].Providers["primary"].Mail = new ProviderMailOptions { Inbound = backend.Uri };
        options.Tenants["other"] = new TenantOptions
        {
            Domains = ["other.test"],
            DefaultProvider = "primary",
            Users = [Dana],
            Admins = { ["ops@other.test"] = new AdminOptions { Role = AdminRole.Operator, ApiKeyHashes = [GatewayConfig.Hash(OtherKey)] } },
            Providers = { ["primary"] = new ProviderOptions { Mail = new ProviderMailOptions { Inbound = backend.Uri } } },
        };
        return options;
    }

    private static JsonObject Mail(TimeSpan retryDelay)
    {
        var delay = retryDelay.ToString("c", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["ServerName"] = "mx.demo.test",
            ["Delivery"] = new JsonObject { ["FirstRetryDelay"] = delay, ["MaxRetryDelay"] = delay },
        };
    }

    /// <summary>One message from outside to <paramref name="to"/> over raw SMTP, with <paramref name="marker"/> as subject and body; 250 at each step.</summary>
    public async Task SendMailAsync(string to, string marker)
    {
        await using var smtp = await RawLineClient.ConnectAsync(IPAddress.Loopback, SmtpPort);
        await ExpectAsync(smtp, null, "220");
        await ExpectAsync(smtp, "EHLO sender.example.org\r\n", "250");
        await ExpectAsync(smtp, "MAIL FROM:<registry@example.org>\r\n", "250");
        await ExpectAsync(smtp, $"RCPT TO:<{to}>\r\n", "250");
        await ExpectAsync(smtp, "DATA\r\n", "354");
        await ExpectAsync(smtp,
            $"From: <registry@example.org>\r\nTo: <{to}>\r\nSubject: {marker}\r\nMessage-ID: <{marker}@example.org>\r\n"
            + $"Date: {DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)}\r\n\r\n{marker}\r\n.\r\n", "250");
        await ExpectAsync(smtp, "QUIT\r\n", "221");
    }

    /// <summary>One admin request with <paramref name="key"/> as its bearer key, built by hand.</summary>
    public async Task<AdminAnswer> SendAsync(HttpMethod method, string path, string key)
    {
        using var request = new HttpRequestMessage(method, new Uri(Gateway.BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _http.SendAsync(request);
        return new AdminAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary><c>GET /admin/api/queue/{id}</c> as <paramref name="key"/>'s admin: the message's recipients of their tenant, or null (404).</summary>
    public async Task<JsonNode?> ShowAsync(string id, string key = GatewayConfig.OpsKey)
    {
        var answer = await SendAsync(HttpMethod.Get, $"admin/api/queue/{id}", key);
        return answer.Status switch
        {
            HttpStatusCode.OK => JsonNode.Parse(answer.Text),
            HttpStatusCode.NotFound => null,
            _ => throw new InvalidOperationException($"GET queue/{id}: {answer}\n{Gateway.Describe()}"),
        };
    }

    /// <summary><c>GET /admin/api/audit</c> as <paramref name="key"/>'s admin: their tenant's chain, oldest first.</summary>
    public async Task<JsonArray> AuditAsync(string key = GatewayConfig.OpsKey)
    {
        var answer = await SendAsync(HttpMethod.Get, "admin/api/audit?count=1000", key);
        return answer.Status == HttpStatusCode.OK
            ? JsonNode.Parse(answer.Text)!.AsArray()
            : throw new InvalidOperationException($"GET audit: {answer}\n{Gateway.Describe()}");
    }

    /// <summary>The <c>queue.deleted</c> records of <paramref name="key"/>'s tenant that name message <paramref name="id"/>.</summary>
    public async Task<List<JsonNode>> DeletionRecordsAsync(string id, string key = GatewayConfig.OpsKey) =>
        [.. (await AuditAsync(key)).OfType<JsonNode>().Where(r => r["action"]!.GetValue<string>() == "queue.deleted" && Names(r, id))];

    /// <summary>Whether an audit record mentions <paramref name="id"/> anywhere.</summary>
    public static bool Names(JsonNode record, string id) => record.ToJsonString().Contains(id, StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Gateway.DisposeAsync();
        await Backend.DisposeAsync();
    }

    /// <summary>Sends <paramref name="command"/> (if any), reads the reply (all lines of a multi-line one), asserts its code.</summary>
    private async Task ExpectAsync(RawLineClient smtp, string? command, string code)
    {
        if (command is not null)
        {
            await smtp.SendAsync(command);
        }

        string? line;
        do
        {
            line = await smtp.ReadLineAsync(TimeSpan.FromSeconds(20));
            Assert.True(line is not null && line.StartsWith(code, StringComparison.Ordinal),
                $"SMTP {command?.Split('\r')[0] ?? "banner"}: expected {code}, got '{line}'\n{Gateway.Describe()}");
        }
        while (line.Length > 3 && line[3] == '-');
    }
}
