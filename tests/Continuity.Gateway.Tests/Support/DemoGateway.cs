using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Support;

/// <summary>
/// The demo configuration for the whole gateway in this process (<see cref="InProcessGateway"/>, the host
/// <c>continuity serve</c> builds), against a real store under a key prefix of its own: tenant <c>demo</c> with its
/// admins' API keys, and tenant <c>other</c> with its own admin. <see cref="StartWithUpstreamsAsync"/> adds identity
/// upstreams for both of demo's providers (nothing needs to listen at them to import or revoke).
/// </summary>
internal static class DemoGateway
{
    // demo's admins have the keys the gateway processes' configuration gives them.
    public const string OpsKey = GatewayConfig.OpsKey;
    public const string SecondKey = GatewayConfig.SecondAdminKey;
    public const string ViewerKey = GatewayConfig.ViewerKey;
    public const string OtherTenantKey = "other-ops-key";
    public const string PrimaryAuthority = "https://127.0.0.1:9/primary/";
    public const string SovereignAuthority = "https://127.0.0.1:9/sovereign/";

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

    /// <summary>The demo configuration with identity upstreams for both providers (<paramref name="customize"/> may point them somewhere real).</summary>
    public static Task<InProcessGateway> StartWithUpstreamsAsync(string redis, Action<JsonNode>? customize = null, int? port = null) =>
        StartAsync(redis, customize: continuity =>
        {
            WithUpstreams(continuity);
            customize?.Invoke(continuity);
        }, port: port);

    private static void WithUpstreams(JsonNode continuity)
    {
        var demo = continuity["Tenants"]!["demo"]!;
        demo["Hosts"] = new JsonObject { ["Login"] = "login.demo.test" };
        demo["Providers"]!["primary"]!["Identity"] = Upstream(PrimaryAuthority);
        demo["Providers"]!["sovereign"]!["Identity"] = Upstream(SovereignAuthority);
    }

    private static JsonObject Upstream(string authority) =>
        new() { ["Authority"] = authority, ["ClientId"] = "continuity", ["ClientSecret"] = "upstream-secret" };

    /// <summary>The demo tenant (alice, bob; ops, second, viewer) plus tenant <c>other</c> with its own admin.</summary>
    private static string ConfigJson(string? redis, int approvals, string automatic, int smtpPort = 0, string? primaryInbound = null)
    {
        static string Hash(string key) => Continuity.Core.Credentials.SecretHash.Of(key);
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
