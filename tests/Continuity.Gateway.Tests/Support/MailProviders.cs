using System.Text.Json.Nodes;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Support;

/// <summary>Mail backends in the configuration of a <see cref="DemoGateway"/> (its <c>customize</c> step).</summary>
internal static class MailProviders
{
    /// <summary>
    /// Provider <paramref name="name"/> of tenant <c>demo</c> becomes a mail provider only: IMAP at
    /// <paramref name="server"/>, logged in to as its master user (what the provider had before is replaced).
    /// </summary>
    public static void MailOnly(this JsonNode continuity, string name, DovecotServer server) =>
        continuity["Tenants"]!["demo"]!["Providers"]![name] = new JsonObject { ["Mail"] = GatewayConfig.ImapBackend(server) };

    /// <summary>The IMAP listener on <paramref name="imapPort"/> and these providers as <see cref="MailOnly"/>.</summary>
    public static void ImapThrough(this JsonNode continuity, int imapPort, params (string Name, DovecotServer Server)[] providers)
    {
        continuity["Listeners"]!["Imap"] = imapPort;
        foreach (var (name, server) in providers)
        {
            continuity.MailOnly(name, server);
        }
    }
}
