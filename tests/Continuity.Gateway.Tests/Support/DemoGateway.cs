using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Support;

/// <summary>
/// The demo configuration for the whole gateway in this process (<see cref="InProcessGateway"/>, the host
/// <c>continuity serve</c> builds), against a real store under a key prefix of its own: tenant <c>demo</c> with its
/// admins' API keys, and tenant <c>other</c> with its own admin.
/// </summary>
internal static class DemoGateway
{
    public const string OpsKey = "demo-ops-key";
    public const string SecondKey = "demo-second-admin-key";
    public const string ViewerKey = "demo-viewer-key";
    public const string OtherTenantKey = "other-ops-key";

    /// <param name="customize">Changes the <c>Continuity</c> section before the start.</param>
    /// <param name="port">The HTTP port when the caller must know it before the start (an issuer in <paramref name="customize"/>); null: a free one.</param>
    public static Task<InProcessGateway> StartAsync(
        string? redis, int approvals = 1, string automatic = "Suggest", int smtpPort = 0, string? primaryInbound = null, Action<JsonNode>? customize = null,
        int? port = null)
    {
        var json = JsonNode.Parse(ConfigJson(redis, approvals, automatic, smtpPort, primaryInbound))!.AsObject();
        customize?.Invoke(json["Continuity"]!);
        return InProcessGateway.StartAsync(json, port);
    }

    /// <summary>The demo tenant (alice, bob; ops, second, viewer) plus tenant <c>other</c> with its own admin.</summary>
    private static string ConfigJson(string? redis, int approvals, string automatic, int smtpPort = 0, string? primaryInbound = null)
    {
        static string Hash(string key) => Continuity.Gateway.Admin.AdminKeyring.Hash(key);
        var config = new
        {
            Continuity = new
            {
                // A test node: generated identity keys, clear Data Protection keys in the external test store.
                Development = true,
                Listeners = new { Address = "127.0.0.1", Smtp = smtpPort },
                State = new { Redis = redis, KeyPrefix = "{g" + Guid.NewGuid().ToString("N")[..12] + "}:", RouteRecheckInterval = "00:00:00.500" },
                Tenants = new Dictionary<string, object>
                {
                    ["demo"] = new
                    {
                        Domains = new[] { "demo.test" },
                        DefaultProvider = "primary",
                        SovereignProvider = "sovereign",
                        Failover = new { Automatic = automatic, Approvals = approvals, ApprovalTimeout = "01:00:00" },
                        Users = new[] { "alice@demo.test", "bob@demo.test" },
                        Admins = new Dictionary<string, object>
                        {
                            ["ops@demo.test"] = new { Role = "Operator", ApiKeyHashes = new[] { Hash(OpsKey) } },
                            ["second@demo.test"] = new { Role = "Operator", ApiKeyHashes = new[] { Hash(SecondKey) } },
                            ["auditor@demo.test"] = new { Role = "Viewer", ApiKeyHashes = new[] { Hash(ViewerKey) } },
                        },
                        Providers = new Dictionary<string, object>
                        {
                            ["primary"] = primaryInbound is null ? new { } : new { Mail = new { Inbound = primaryInbound } },
                            ["sovereign"] = new { },
                        },
                    },
                    ["other"] = new
                    {
                        Domains = new[] { "other.test" },
                        DefaultProvider = "primary",
                        Admins = new Dictionary<string, object> { ["ops@other.test"] = new { ApiKeyHashes = new[] { Hash(OtherTenantKey) } } },
                        Providers = new Dictionary<string, object> { ["primary"] = new { } },
                    },
                },
            },
        };
        return JsonSerializer.Serialize(config);
    }
}
