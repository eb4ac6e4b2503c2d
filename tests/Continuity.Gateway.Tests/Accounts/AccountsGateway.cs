using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Accounts;

/// <summary>
/// The real gateway host in this process (<see cref="InProcessGateway"/>) with the demo configuration (<see cref="DemoGateway"/>) with identity
/// upstreams for both providers (<c>customize</c> may point them somewhere real); nothing needs to listen at them to
/// import or revoke.
/// </summary>
internal static class AccountsGateway
{
    public const string PrimaryAuthority = "https://127.0.0.1:9/primary/";
    public const string SovereignAuthority = "https://127.0.0.1:9/sovereign/";

    public static Task<InProcessGateway> StartAsync(string redis, Action<JsonNode>? customize = null, int? port = null) =>
        DemoGateway.StartAsync(redis, customize: continuity =>
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
}
