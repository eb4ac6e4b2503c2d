using System.Globalization;
using System.Text.Json.Nodes;
using Continuity.Core.Configuration;

namespace Continuity.Testing.Story;

/// <summary>
/// The gateway configuration of the continuity story: tenant <c>demo</c> (alice, bob, carol) with an Entra-shaped
/// primary and a Keycloak-shaped sovereign upstream, one Dovecot each (LMTP in, IMAP with a master login), the MX
/// and the IMAP proxy on loopback, failover by suggestion with two approvals, mailbox sync, and one relying party.
/// Intervals are short so the story runs in seconds: identity probes every second (down for 2 s → tenant
/// suggestion), sync polls every second, delivery retries after a second.
/// </summary>
public sealed record StoryConfig(
    int GatewayPort,
    int SmtpPort,
    int ImapPort,
    Uri PrimaryIssuer,
    Uri SovereignIssuer,
    DovecotServer PrimaryMail,
    DovecotServer SovereignMail,
    Uri RelyingPartyRedirect,
    string KeysDirectory)
{
    /// <summary>The gateway's client at both upstreams.</summary>
    public const string UpstreamClientId = "continuity-gateway";

    public const string UpstreamClientSecret = "upstream-secret-0123456789-0123456789-0123";

    /// <summary>The Entra directory id of the tenant (the primary's <c>tid</c>).</summary>
    public const string EntraTenantId = "6f1c2c0e-3b8a-4c55-9d57-0a4f1e2b7c31";

    /// <summary>
    /// Identity probes every 2 s with a 2 s timeout (a cold gateway on two busy cores needs more than a second for its
    /// first discovery request), a tenant suggestion after 3 s down: an outage is seen within about 5 s.
    /// </summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan ProbeDownAfter = TimeSpan.FromSeconds(3);

    /// <summary>The gateway's issuer (and address): relying parties and the upstreams' redirect URIs use it.</summary>
    public Uri Issuer => new($"http://127.0.0.1:{GatewayPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Where an upstream sends the browser back: <c>{issuer}signin/demo/{provider}</c>.</summary>
    public Uri CallbackFor(string provider) => new(Issuer, $"signin/{GatewayConfig.Tenant}/{provider}");

    public ContinuityOptions Options()
    {
        var options = GatewayConfig.Demo(redis: null); // the embedded store, as a single node runs by default
        options.Listeners.Smtp = SmtpPort;
        options.Listeners.Imap = ImapPort;
        var tenant = options.Tenants[GatewayConfig.Tenant];
        tenant.Hosts.Login = "127.0.0.1";
        tenant.Failover = new FailoverPolicyOptions { Automatic = AutomaticFailover.Suggest, Approvals = 2 };
        tenant.Providers["primary"].DisplayName = "Microsoft 365";
        tenant.Providers["sovereign"].DisplayName = "EU sovereign stack";
        foreach (var (name, issuer, mail) in new[] { ("primary", PrimaryIssuer, PrimaryMail), ("sovereign", SovereignIssuer, SovereignMail) })
        {
            var provider = tenant.Providers[name];
            provider.Identity = new ProviderIdentityOptions { Authority = issuer.AbsoluteUri, ClientId = UpstreamClientId, ClientSecret = UpstreamClientSecret };
            provider.Mail = new ProviderMailOptions
            {
                Inbound = mail.LmtpUri,
                Imap = mail.ImapUri,
                Login = new MailLoginOptions { Master = DovecotServer.MasterUser, MasterPassword = DovecotServer.MasterPassword },
            };
        }

        return options;
    }

    /// <summary>
    /// What <see cref="ContinuityOptions"/> does not carry: provider profiles, the gateway's OIDC server, mail and sync;
    /// and quieter logs (a line per sync run every second would push the story's events out of the kept output).
    /// </summary>
    public void Sections(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root["Logging"] = new JsonObject
        {
            ["LogLevel"] = new JsonObject { ["Continuity.Mail.Sync.MailboxSynchronizer"] = "Warning" },
        };
        var continuity = root[ContinuityOptions.SectionName]!;
        var providers = continuity["Tenants"]![GatewayConfig.Tenant]!["Providers"]!;
        providers["primary"]!["Identity"]!["Profile"] = "Entra";
        providers["primary"]!["Identity"]!["TenantId"] = EntraTenantId;
        providers["sovereign"]!["Identity"]!["Profile"] = "Generic";
        continuity["Identity"] = new JsonObject
        {
            ["AllowInsecureHttp"] = true,
            ["Keys"] = new JsonObject
            {
                ["Signing"] = new JsonArray(new JsonObject { ["Path"] = StoryKeys.Signing(KeysDirectory) }),
                ["Encryption"] = new JsonArray(new JsonObject { ["Path"] = StoryKeys.Encryption(KeysDirectory) }),
            },
            ["Tenants"] = new JsonObject { [GatewayConfig.Tenant] = new JsonObject { [nameof(Issuer)] = Issuer.AbsoluteUri } },
            ["Clients"] = new JsonObject
            {
                [RelyingParty.ClientId] = new JsonObject
                {
                    ["DisplayName"] = "Court web app",
                    ["SecretHash"] = GatewayConfig.Hash(RelyingParty.ClientSecret),
                    ["RedirectUris"] = new JsonArray(RelyingPartyRedirect.AbsoluteUri),
                    ["Scopes"] = new JsonArray("openid", "email", "profile", "offline_access"),
                },
            },
            ["Probes"] = new JsonObject
            {
                ["Interval"] = ProbeInterval.ToString("c", CultureInfo.InvariantCulture),
                ["Timeout"] = ProbeInterval.ToString("c", CultureInfo.InvariantCulture),
                ["DownAfter"] = ProbeDownAfter.ToString("c", CultureInfo.InvariantCulture),
            },
        };
        continuity["Mail"] = new JsonObject
        {
            ["ServerName"] = "mx.demo.test",
            ["Delivery"] = new JsonObject { ["FirstRetryDelay"] = "00:00:01", ["MaxRetryDelay"] = "00:00:02" },
            ["Sync"] = new JsonObject
            {
                ["Tenants"] = new JsonObject { [GatewayConfig.Tenant] = new JsonObject { ["Enabled"] = true } },
                ["PollInterval"] = "00:00:01",
                ["MaxLag"] = "00:00:30",
                ["CommandTimeout"] = "00:00:10",
            },
        };
    }
}
