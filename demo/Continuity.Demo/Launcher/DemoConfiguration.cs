using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Continuity.Demo.Launcher;

/// <summary>
/// The gateway's configuration for this run: config/demo.json (copied next to the launcher when it is built), with the
/// ports of this run written in, and without the mail parts when the demo has no mailboxes. Written to
/// <c>&lt;data dir&gt;/continuity.json</c> so what the gateway runs with can be read.
/// </summary>
internal static class DemoConfiguration
{
    public const string Tenant = "demo";

    /// <summary>The gateway's client at both demo upstreams (config/demo.json has the same).</summary>
    public const string UpstreamClientId = "continuity-demo";

    public static string Source => Path.Combine(AppContext.BaseDirectory, "demo.json");

    public static JsonObject Load() => JsonNode.Parse(File.ReadAllText(Source))!.AsObject();

    public static string Write(JsonObject template, DemoPorts ports, bool mail, string file)
    {
        var text = template.ToJsonString();
        foreach (var (from, to) in ports.Pairs())
        {
            text = text.Replace($"127.0.0.1:{from.ToString(CultureInfo.InvariantCulture)}", $"127.0.0.1:{to.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal);
        }

        var root = JsonNode.Parse(text)!.AsObject();
        var continuity = root["Continuity"]!.AsObject();
        continuity.Remove("DataDir"); // the launcher passes --data-dir
        var listeners = continuity["Listeners"]!.AsObject();
        listeners["Smtp"] = mail ? ports.GatewaySmtp : 0;
        listeners["Imap"] = mail ? ports.GatewayImap : 0;
        if (!mail)
        {
            // No mailboxes: no mail backends to probe or sync, so nothing reports them down.
            foreach (var (_, provider) in continuity["Tenants"]![Tenant]!["Providers"]!.AsObject())
            {
                provider!.AsObject().Remove("Mail");
            }

            continuity.Remove("Mail");
        }

        File.WriteAllText(file, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return file;
    }

    /// <summary>The upstream client secret of a provider, as the configuration gives it to the gateway.</summary>
    public static string UpstreamSecret(JsonObject template, string provider) =>
        (string?)template["Continuity"]!["Tenants"]![Tenant]!["Providers"]![provider]!["Identity"]!["ClientSecret"]
        ?? throw new InvalidOperationException($"config/demo.json: Tenants:{Tenant}:Providers:{provider}:Identity:ClientSecret is missing");

    public static string DisplayName(JsonObject template, string provider) =>
        (string?)template["Continuity"]!["Tenants"]![Tenant]!["Providers"]![provider]!["DisplayName"] ?? provider;
}
