using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Continuity.Core.Configuration;

namespace Continuity.Testing;

/// <summary>
/// The configuration a test gives a gateway process: the demo tenant (providers <c>primary</c> and
/// <c>sovereign</c>, users alice/bob/carol, the demo admin keys), written as the JSON file passed to
/// <c>continuity serve --config</c>. Tests change the <see cref="ContinuityOptions"/> before start.
/// </summary>
public static class GatewayConfig
{
    /// <summary>Operator of tenant <c>demo</c> (<c>ops@demo.test</c>).</summary>
    public const string OpsKey = "demo-ops-key";

    /// <summary>A second operator of tenant <c>demo</c> (<c>second@demo.test</c>).</summary>
    public const string SecondAdminKey = "demo-second-admin-key";

    /// <summary>A viewer of tenant <c>demo</c> (<c>auditor@demo.test</c>): reads, changes nothing.</summary>
    public const string ViewerKey = "demo-viewer-key";

    public const string Tenant = "demo";
    public const string Alice = "alice@demo.test";
    public const string Bob = "bob@demo.test";
    public const string Carol = "carol@demo.test";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// The demo tenant against <paramref name="redis"/> (a connection string; null: embedded Garnet).
    /// The route recheck is short (0.5 s) so a lost pub/sub message costs tests little time.
    /// </summary>
    public static ContinuityOptions Demo(string? redis) => new()
    {
        // A test node: generated identity keys, clear Data Protection keys in the external test store.
        Development = true,
        State = new StateOptions { Redis = redis, RouteRecheckInterval = TimeSpan.FromMilliseconds(500) },
        Listeners = new ListenerOptions { Address = "127.0.0.1" },
        Tenants =
        {
            [Tenant] = new TenantOptions
            {
                DisplayName = "Demo Court",
                Domains = ["demo.test"],
                Hosts = new TenantHostsOptions { Login = "login.demo.test", Mail = "mail.demo.test" },
                DefaultProvider = "primary",
                SovereignProvider = "sovereign",
                Failover = new FailoverPolicyOptions { Automatic = AutomaticFailover.Suggest, Approvals = 1 },
                Users = [Alice, Bob, Carol],
                Admins =
                {
                    ["ops@demo.test"] = new AdminOptions { Role = AdminRole.Operator, ApiKeyHashes = [Hash(OpsKey)] },
                    ["second@demo.test"] = new AdminOptions { Role = AdminRole.Operator, ApiKeyHashes = [Hash(SecondAdminKey)] },
                    ["auditor@demo.test"] = new AdminOptions { Role = AdminRole.Viewer, ApiKeyHashes = [Hash(ViewerKey)] },
                },
                Providers =
                {
                    ["primary"] = new ProviderOptions { DisplayName = "Hosted provider" },
                    ["sovereign"] = new ProviderOptions { DisplayName = "EU sovereign stack" },
                },
            },
        },
    };

    /// <summary>A provider's <c>Mail</c> section for <paramref name="server"/>: its IMAP, logged in to as the master user.</summary>
    public static JsonObject ImapBackend(DovecotServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new JsonObject
        {
            ["Imap"] = server.ImapUri,
            ["Login"] = new JsonObject { ["Master"] = DovecotServer.MasterUser, ["MasterPassword"] = DovecotServer.MasterPassword },
        };
    }

    /// <summary><c>sha256:&lt;hex&gt;</c> of a key, the form the configuration stores.</summary>
    public static string Hash(string apiKey) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))).ToLowerInvariant();

    /// <summary>The configuration file's text: <c>{ "Continuity": … }</c>. DataDir comes from <c>--data-dir</c>.</summary>
    /// <param name="sections">
    /// Adds or changes what the options do not carry: it gets the file's root object, whose <c>Continuity</c> object
    /// holds the options (add <c>Identity</c>, <c>Mail</c>, … there, or <c>Logging</c> beside it); or null.
    /// </param>
    public static string ToJson(ContinuityOptions options, Action<JsonObject>? sections = null)
    {
        var tree = JsonSerializer.SerializeToNode(options, Json)!.AsObject();
        tree.Remove(nameof(ContinuityOptions.DataDir));
        var root = new JsonObject { [ContinuityOptions.SectionName] = tree };
        sections?.Invoke(root);
        return root.ToJsonString(Json);
    }
}
