using System.Globalization;
using Continuity.Core.Metrics;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> as Prometheus scrapes it, fed by OpenTelemetry: the gateway's own series after real traffic (an SMTP
/// message through the MX into a real Dovecot, a failover waiting for approval), HTTP and runtime metrics, and label
/// values written with the exposition format's escapes.
/// </summary>
[Trait("Category", "Server")]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_AfterARealMessageThroughTheMxAndAPendingFailover_CountsMailAndApprovals()
    {
        // Arrange: the built executable with its MX on, the primary mailbox in a real Dovecot, the two-person rule.
        using var redis = new RedisServer();
        using var dovecot = DovecotServer.Start("primary", Alice);
        var smtpPort = FreePort.Next();
        var options = Demo(redis.ConnectionString);
        options.Listeners.Smtp = smtpPort;
        options.Tenants[Tenant].Failover.Approvals = 2;
        options.Tenants[Tenant].Providers["primary"]!.Mail = new() { Inbound = dovecot.LmtpUri };
        await using var gateway = await GatewayProcess.StartAsync("A", options);

        // Act
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", smtpPort, MailKit.Security.SecureSocketOptions.None);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("registry@example.org"));
            message.To.Add(MailboxAddress.Parse(Alice));
            message.Subject = "metrics";
            message.Body = new TextPart("plain") { Text = "metrics-marker" };
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        await Eventually.TrueAsync(() => dovecot.Count(Alice, "metrics-marker") == 1, TimeSpan.FromSeconds(30), "the message reaches the primary mailbox");
        using var patient = GatewayLogTests.PatientAdmin(gateway);
        using (var request = await gateway.PostRouteAsync(Bob, "sovereign", "waiting for a second admin", patient))
        {
            request.EnsureSuccessStatusCode();
        }

        string metrics = "";
        await Eventually.TrueAsync(async () =>
        {
            metrics = await patient.GetStringAsync("metrics");
            return metrics.Contains("continuity_mail_delivered_total{", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the delivery is counted");

        // Assert
        Assert.Contains("continuity_approvals_pending{tenant=\"demo\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("continuity_mail_accepted_total{tenant=\"demo\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("continuity_mail_delivered_total{kind=\"main\",provider=\"primary\",tenant=\"demo\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("continuity_mail_queue_messages 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("continuity_state_store_up 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("\ndotnet_gc_", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_LabelValueWithQuoteBackslashAndNewline_IsEscapedAndCannotForgeASeriesOrATenant()
    {
        // Arrange: a series whose tenant and provider values hold every character the format must escape, and one
        // that tries to end its own line and start a forged series.
        using var redis = new RedisServer();
        var management = FreePort.Next();
        await using var gateway = await DemoGateway.StartAsync(redis.ConnectionString, customize: c => c["Listeners"]!["Management"] = management);
        var metrics = gateway.Services.GetRequiredService<ContinuityMetrics>();
        metrics.SignIn("demo\"} 1\ncontinuity_forged 1\n", "back\\slash \"quoted\"", "succeeded");
        metrics.SignIn("demo", "primary", "succeeded");
        using var monitor = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{management.ToString(CultureInfo.InvariantCulture)}/") };
        using var admin = gateway.Client(DemoGateway.OpsKey);

        // Act
        var all = await monitor.GetStringAsync("metrics");
        var demoAdmin = await admin.GetStringAsync("metrics");

        // Assert: escaped as the text format says (\" \\ \n), on one line.
        Assert.Contains(
            "continuity_signins_total{outcome=\"succeeded\",provider=\"back\\\\slash \\\"quoted\\\"\",tenant=\"demo\\\"} 1\\ncontinuity_forged 1\\n\"} 1\n",
            all, StringComparison.Ordinal);
        Assert.DoesNotContain(all.Split('\n'), l => l.StartsWith("continuity_forged", StringComparison.Ordinal));
        // The tenant filter reads the escaped value whole: that tenant is not "demo", so demo's admin does not see it.
        Assert.Contains("continuity_signins_total{outcome=\"succeeded\",provider=\"primary\",tenant=\"demo\"} 1\n", demoAdmin, StringComparison.Ordinal);
        Assert.DoesNotContain("back\\\\slash", demoAdmin, StringComparison.Ordinal);
        Assert.DoesNotContain("continuity_forged", demoAdmin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otlp_EndpointConfigured_PushesTheGatewaysMetricsAsProtobuf()
    {
        // Arrange: a collector stand-in that records what is POSTed to /v1/metrics (OTLP over HTTP).
        using var redis = new RedisServer();
        var port = FreePort.Next();
        using var collector = new System.Net.HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        collector.Start();
        var received = ReceiveOneAsync(collector);

        // Act
        await using var gateway = await DemoGateway.StartAsync(redis.ConnectionString, customize: c => c["Telemetry"] = new System.Text.Json.Nodes.JsonObject
        {
            ["Otlp"] = new System.Text.Json.Nodes.JsonObject
            {
                ["Endpoint"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/v1/metrics",
                ["Protocol"] = "HttpProtobuf",
                ["Interval"] = "00:00:01",
            },
        });
        var (path, contentType, body) = await received.WaitAsync(TimeSpan.FromSeconds(30));

        // Assert: protobuf carries metric names as plain UTF-8 strings.
        Assert.Equal("/v1/metrics", path);
        Assert.Equal("application/x-protobuf", contentType);
        Assert.Contains("continuity_state_store_up", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    private static async Task<(string Path, string? ContentType, byte[] Body)> ReceiveOneAsync(System.Net.HttpListener listener)
    {
        while (true)
        {
            var context = await listener.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 200;
            context.Response.Close();
            var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
            if (text.Contains("continuity_state_store_up", StringComparison.Ordinal))
            {
                return (context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray());
            }
        }
    }
}
