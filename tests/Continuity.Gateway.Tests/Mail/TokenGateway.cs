using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Accounts;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;
using Continuity.Testing.Identity;

namespace Continuity.Gateway.Tests.Mail;

/// <summary>
/// The real gateway with its own OIDC provider (upstream stand-in for sign-in), an IMAP listener and two Dovecot backends
/// with a master user; alice's primary INBOX holds one message. Mail apps get tokens by a real code flow with PKCE.
/// Clients: <c>mail-app</c> (public, <c>openid email mail offline_access</c>; the only client allowed for mail),
/// <c>other-app</c> (may ask for <c>mail</c> but is not a mail client), <c>reports-app</c> (another audience),
/// <c>admin-cli</c> (<c>continuity_admin</c>).
/// </summary>
internal sealed class TokenGateway : IAsyncDisposable
{
    public const string Callback = "http://127.0.0.1:9/callback";
    public const string PrimarySubject = "on primary";

    private readonly StandInUpstream _upstream;
    private readonly InProcessGateway _gateway;

    private TokenGateway(StandInUpstream upstream, InProcessGateway gateway, DovecotServer primary, DovecotServer sovereign, int imapPort, int submissionPort)
    {
        SubmissionPort = submissionPort;
        _upstream = upstream;
        _gateway = gateway;
        Primary = primary;
        Sovereign = sovereign;
        ImapPort = imapPort;
    }

    public DovecotServer Primary { get; }

    public DovecotServer Sovereign { get; }

    public int ImapPort { get; }

    /// <summary>The gateway's submission listener (AUTH only here: no backend to relay to is configured).</summary>
    public int SubmissionPort { get; }

    public InProcessGateway Gateway => _gateway;

    public static async Task<TokenGateway> StartAsync(string redis, string? accessTokenLifetime = null)
    {
        var upstream = await StandInUpstream.StartAsync();
        var primary = DovecotServer.Start("primary", "alice@demo.test", "bob@demo.test");
        var sovereign = DovecotServer.Start("sovereign", "alice@demo.test", "bob@demo.test");
        await AppendAsync(primary, "alice@demo.test", PrimarySubject);
        var port = FreePort.Next();
        var imapPort = FreePort.Next();
        var submissionPort = FreePort.Next();
        var gateway = await DemoGateway.StartWithUpstreamsAsync(redis, c =>
        {
            Configure(c, upstream, primary, sovereign, port, imapPort, accessTokenLifetime);
            c["Listeners"]!["Submission"] = submissionPort;
        }, port);
        return new TokenGateway(upstream, gateway, primary, sovereign, imapPort, submissionPort);
    }

    /// <summary>Signs <paramref name="address"/> in through the login page and redeems the code (PKCE) for an access token.</summary>
    public async Task<(string AccessToken, int ExpiresIn)> GetTokenAsync(string address, string client = "mail-app", string scope = "openid email mail offline_access")
    {
        using var browser = new Browser();
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var authorize = new Uri(_gateway.BaseAddress, "connect/authorize?" + string.Join("&", new Dictionary<string, string>
        {
            ["client_id"] = client,
            ["response_type"] = "code",
            ["redirect_uri"] = Callback,
            ["scope"] = scope,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = "s1",
            ["login_hint"] = address,
        }.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value))));
        var page = await browser.NavigateAsync(authorize, address, stopAt: Callback);
        var code = page.Query("code") ?? throw new InvalidOperationException($"No code at {page.Url} ({page.Status}): {page.Body}");
        using var http = _gateway.Client(bearer: null);
        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = Callback,
            ["client_id"] = client,
            ["code_verifier"] = verifier,
        }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var token = body["access_token"]?.GetValue<string>() ?? throw new InvalidOperationException("No access token: " + body.ToJsonString());
        return (token, body["expires_in"]!.GetValue<int>());
    }

    /// <summary>Connects to the gateway's IMAP listener (plain text on loopback is allowed).</summary>
    public async Task<ImapClient> ConnectAsync()
    {
        var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", ImapPort, MailKit.Security.SecureSocketOptions.None);
        return imap;
    }

    /// <summary>Subjects in the INBOX of the mailbox the client is logged in to.</summary>
    public static async Task<List<string>> InboxSubjectsAsync(ImapClient imap)
    {
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var subjects = new List<string>();
        if (inbox.Count > 0)
        {
            foreach (var summary in await inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope))
            {
                subjects.Add(summary.Envelope?.Subject ?? "");
            }
        }

        await inbox.CloseAsync();
        return subjects;
    }

    public static async Task AppendAsync(DovecotServer server, string user, string subject)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", server.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(user, DovecotServer.UserPassword);
        using var message = new MimeMessage([MailboxAddress.Parse("sender@example.test")], [MailboxAddress.Parse(user)], subject, new TextPart("plain") { Text = "hello" });
        await imap.Inbox.AppendAsync(message);
        await imap.DisconnectAsync(true);
    }

    public HttpClient Client(string? bearer) => _gateway.Client(bearer);

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        Primary.Dispose();
        Sovereign.Dispose();
    }

    private static void Configure(JsonNode c, StandInUpstream upstream, DovecotServer primary, DovecotServer sovereign, int port, int imapPort, string? lifetime)
    {
        static JsonObject Client(params string[] scopes) =>
            new() { ["RedirectUris"] = new JsonArray(Callback), ["Scopes"] = new JsonArray([.. scopes.Select(s => (JsonNode)s)]) };
        var identity = new JsonObject
        {
            ["AllowInsecureHttp"] = true,
            ["UpstreamTimeout"] = "00:00:15", // a stand-in upstream on two busy cores
            ["Tenants"] = new JsonObject { ["demo"] = new JsonObject { ["Issuer"] = $"http://127.0.0.1:{port}/" } },
            ["Scopes"] = new JsonObject
            {
                ["mail"] = new JsonArray("urn:continuity:mail"),
                ["reports"] = new JsonArray("urn:demo:reports"),
                ["continuity_admin"] = new JsonArray("urn:continuity:admin"),
            },
            ["Clients"] = new JsonObject
            {
                ["mail-app"] = Client("openid", "email", "mail", "offline_access"),
                ["other-app"] = Client("openid", "email", "mail"),
                ["reports-app"] = Client("openid", "email", "reports"),
                ["admin-cli"] = Client("openid", "email", "continuity_admin"),
            },
            ["AccessTokens"] = new JsonObject { ["MailClients"] = new JsonArray("mail-app") },
        };
        if (lifetime is not null)
        {
            identity["Lifetimes"] = new JsonObject { ["AccessToken"] = lifetime };
        }

        c["Identity"] = identity;
        c["Listeners"]!["Imap"] = imapPort;
        var demo = c["Tenants"]!["demo"]!;
        demo["Hosts"] = new JsonObject { ["Login"] = "127.0.0.1", ["Mail"] = "mail.demo.test" };
        var providers = demo["Providers"]!;
        providers["primary"]!["Identity"]!["Authority"] = upstream.Issuer.AbsoluteUri;
        foreach (var (name, server) in new[] { ("primary", primary), ("sovereign", sovereign) })
        {
            providers[name]!["Mail"] = GatewayConfig.ImapBackend(server);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
