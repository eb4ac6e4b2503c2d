using System.Text.Json;
using Continuity.Testing;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.Telemetry;

/// <summary>
/// What an operator reads in the log of the built <c>continuity</c> executable run as its own process: admin actions
/// with actor and reason, one line (no stack trace) for a backend that refuses connections, the state store's loss and
/// return as warnings at once, and the JSON console format the README shows.
/// </summary>
[Trait("Category", "Server")]
public sealed class GatewayLogTests
{
    /// <summary>Generous: two cores shared with other suites; a deadline, not a wait.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RouteChange_ByAnAdmin_LogsActorReasonAndVersionOnOneLine()
    {
        // Arrange
        using var redis = new RedisServer();
        await using var gateway = await GatewayProcess.StartAsync("A", Demo(redis.ConnectionString));

        // Act: a reason with a newline, as a script might send it; it must not make a second (forged) log line.
        var version = await gateway.ChangeRouteAsync(Alice, "sovereign", "sanctions notice 2026-17\nfake: Route changed by nobody");

        // Assert
        var expected = $"Route changed in tenant demo: {Alice} primary → sovereign (version {version}) by ops@demo.test, reason: sanctions notice 2026-17 fake: Route changed by nobody";
        await Eventually.TrueAsync(() => gateway.Output.Contains(expected, StringComparison.Ordinal), Deadline, "the route change is logged");
        Assert.DoesNotContain(gateway.Output.Split('\n'), l => l.StartsWith("fake:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApprovalRequest_ByAnAdmin_IsLoggedFromTheAuditRecordWithActorAndReason()
    {
        // Arrange: the two-person rule, so the request waits.
        using var redis = new RedisServer();
        var options = Demo(redis.ConnectionString);
        options.Tenants[Tenant].Failover.Approvals = 2;
        await using var gateway = await GatewayProcess.StartAsync("A", options);

        // Act
        using var patient = PatientAdmin(gateway);
        using var response = await gateway.PostRouteAsync(Bob, "sovereign", "mailbox disabled by the provider", patient);
        response.EnsureSuccessStatusCode();

        // Assert
        await Eventually.TrueAsync(() => gateway.Output.Contains(
            $"approval.requested by ops@demo.test, user {Bob} primary → sovereign, reason: mailbox disabled by the provider", StringComparison.Ordinal),
            Deadline, "the approval request is logged");
    }

    /// <summary>The operator's key with a minute's patience (the process's own client gives up after 10 s).</summary>
    internal static HttpClient PatientAdmin(GatewayProcess gateway)
    {
        var client = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OpsKey);
        return client;
    }

    [Fact]
    public async Task WebProbe_BackendRefusesConnections_OneWarningLineWithoutStackTrace()
    {
        // Arrange: a web app whose backends on both sides listen nowhere.
        using var redis = new RedisServer();
        var options = Demo(redis.ConnectionString);
        var primary = $"http://127.0.0.1:{FreePort.Next()}/";
        var sovereign = $"http://127.0.0.1:{FreePort.Next()}/";
        options.Tenants[Tenant].Hosts.Apps["webmail"] = "webmail.demo.test";
        options.Tenants[Tenant].Providers["primary"]!.Apps["webmail"] = [primary];
        options.Tenants[Tenant].Providers["sovereign"]!.Apps["webmail"] = [sovereign];

        // Act
        await using var gateway = await GatewayProcess.StartAsync("A", options);
        await Eventually.TrueAsync(() => gateway.Output.Contains($"Web backend {primary} of demo/webmail/primary failed its probe", StringComparison.Ordinal),
            Deadline, "the refused probe is logged");
        // Both sides down: the cut-off signal's log line names the sovereign's failure too (from the health registry).
        await Eventually.TrueAsync(() => gateway.Output.Contains("it is down too", StringComparison.Ordinal),
            Deadline, "the signal for the primary's outage is logged with the sovereign's state");

        // Assert
        var lines = gateway.Output.Split('\n');
        var line = Assert.Single(lines, l => l.Contains($"Web backend {primary} of demo/webmail/primary failed its probe", StringComparison.Ordinal));
        Assert.Contains("Connection refused", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("HttpRequestException", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--- End of", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateStore_StoppedAndStartedAgain_WarnsAtOnceBothTimes()
    {
        // Arrange
        using var redis = new RedisServer();
        await using var gateway = await GatewayProcess.StartAsync("A", Demo(redis.ConnectionString));

        // Act + Assert: the loss is said within seconds (the client notices the closed socket), not after 30 s.
        redis.Stop();
        await Eventually.TrueAsync(() => gateway.Output.Contains("State store lost", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the loss is logged");
        redis.Start();
        await Eventually.TrueAsync(() => gateway.Output.Contains("State store reachable again", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the return is logged");

        var lines = gateway.Output.Split('\n');
        Assert.Single(lines, l => l.Contains("State store lost", StringComparison.Ordinal) && l.Contains("warn", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("State store reachable again", StringComparison.Ordinal) && l.Contains("warn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsoleLog_FormatterNameJson_EveryLineIsJsonWithAnIsoTimestamp()
    {
        // Arrange: as the README shows it; this class's own timestamp format removed, so the gateway's default is seen.
        using var redis = new RedisServer();
        var environment = new Dictionary<string, string?>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = null,
            ["Logging__Console__FormatterOptions__SingleLine"] = null,
        };

        // Act
        await using var gateway = await GatewayProcess.StartAsync("A", Demo(redis.ConnectionString), environment: environment);
        await gateway.ChangeRouteAsync(Alice, "sovereign", "json check");
        await Eventually.TrueAsync(() => gateway.Output.Contains("json check", StringComparison.Ordinal), Deadline, "the route change is logged");

        // Assert: lines from the logger are JSON (Garnet's banner and the test's own notes are not the logger's).
        var entries = gateway.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEmpty(entries);
        var change = Assert.Single(entries, e => e.GetProperty("Category").GetString() == "Continuity.Core.Routing.RouteStore");
        Assert.Equal("ops@demo.test", change.GetProperty("State").GetProperty("Actor").GetString());
        Assert.Equal("json check", change.GetProperty("State").GetProperty("Reason").GetString());
        Assert.All(entries, e => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", e.GetProperty("Timestamp").GetString()));
    }

    [Fact]
    public async Task ConsoleLog_Default_OneLinePerEntryWithAUtcTimestamp()
    {
        // Arrange: no console settings but the gateway's own.
        using var redis = new RedisServer();
        var environment = new Dictionary<string, string?>
        {
            ["Logging__Console__FormatterName"] = null,
            ["Logging__Console__FormatterOptions__TimestampFormat"] = null,
            ["Logging__Console__FormatterOptions__SingleLine"] = null,
        };

        // Act
        await using var gateway = await GatewayProcess.StartAsync("A", Demo(redis.ConnectionString), environment: environment);
        await gateway.ChangeRouteAsync(Alice, "sovereign", "default format check");
        await Eventually.TrueAsync(() => gateway.Output.Contains("default format check", StringComparison.Ordinal), Deadline, "the route change is logged");

        // Assert
        var line = Assert.Single(gateway.Output.Split('\n'), l => l.Contains("default format check", StringComparison.Ordinal));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: Continuity\.Core\.Routing\.RouteStore\[320\] Route changed in tenant demo", line);
    }
}
