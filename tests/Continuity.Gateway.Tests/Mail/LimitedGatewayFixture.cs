using System.Text.Json;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Mail;

/// <summary>
/// One gateway process (the built executable) with MX, IMAP and submission listeners and small limits, shared by the
/// tests of <see cref="ConnectionLimitTests"/>: 3 connections per address on each listener, 4 s before MAIL and before
/// login, 3 requests a minute per address on each rate-limited HTTP endpoint. Each test talks from loopback addresses of
/// its own, so the per-address counts of one test never meet another's.
/// </summary>
public sealed class LimitedGatewayFixture : IAsyncLifetime
{
    public const int Cap = 3;
    public static readonly TimeSpan BeforeMail = TimeSpan.FromSeconds(4);

    private readonly TempDirectory _dir = new("limits");
    private RedisServer? _redis;
    private GatewayProcess? _gateway;

    public int SmtpPort { get; } = FreePort.Next();

    public int ImapPort { get; } = FreePort.Next();

    public int SubmissionPort { get; } = FreePort.Next();

    public int HttpPort => _gateway!.BaseAddress.Port;

    public string Output => _gateway?.Output ?? "";

    public async Task InitializeAsync()
    {
        _redis = new RedisServer();
        var config = _dir.Combine("continuity.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Continuity = new
            {
                Development = true, // a test node: generated keys, clear Data Protection keys in the test store
                Listeners = new { Address = "127.0.0.1", Smtp = SmtpPort, Imap = ImapPort, Submission = SubmissionPort },
                State = new { Redis = _redis.ConnectionString, KeyPrefix = "{limits}:" },
                Mail = new
                {
                    ServerName = "mx.demo.test",
                    Limits = new { MaxConnectionsPerAddress = Cap, IdleTimeoutBeforeMail = "00:00:04" },
                    Access = new { MaxPreLoginConnectionsPerAddress = Cap, MaxSubmissionConnectionsPerAddress = Cap, LoginTimeout = "00:00:04" },
                },
                RateLimits = new { Login = new { PermitLimit = Cap }, Token = new { PermitLimit = Cap }, Admin = new { PermitLimit = Cap } },
                Tenants = new Dictionary<string, object>
                {
                    ["demo"] = new
                    {
                        Domains = new[] { "demo.test" },
                        Hosts = new { Login = "login.demo.test", Mail = "mail.demo.test" },
                        DefaultProvider = "primary",
                        Users = new[] { "alice@demo.test" },
                        Providers = new Dictionary<string, object> { ["primary"] = new { Mail = new { Inbound = $"lmtp://127.0.0.1:{FreePort.Next()}" } } },
                    },
                },
            },
        }));
        _gateway = GatewayProcess.FromConfigFile("limits", config, _dir.Combine("data"), environment: GatewayProcess.WarningsOnly);
        try
        {
            await _gateway.StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        _redis?.Dispose();
        _dir.Dispose();
    }
}
