using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using MailKit.Security;

namespace Continuity.Gateway.Tests.Mail;

/// <summary>
/// OAUTHBEARER (RFC 7628) and XOAUTH2 at the gateway's IMAP proxy with access tokens of the gateway's own OIDC provider,
/// obtained by a real code flow (PKCE) through the login page; the mailbox read is alice's on the routed Dovecot.
/// </summary>
[Trait("Category", "Server")]
public sealed class MailBearerTests(SharedRedis redis) : IClassFixture<SharedRedis>
{
    [Fact]
    public async Task OAuthBearerAndXOAuth2_TokenFromCodeFlow_ReadAlicesPrimaryMailbox()
    {
        await using var bed = await TokenGateway.StartAsync(redis.Server.ConnectionString);
        var (token, _) = await bed.GetTokenAsync("alice@demo.test");

        using var viaBearer = await bed.ConnectAsync();
        var advertised = viaBearer.AuthenticationMechanisms.ToList();
        await viaBearer.AuthenticateAsync(new SaslMechanismOAuthBearer("alice@demo.test", token));
        var bearerSubjects = await TokenGateway.InboxSubjectsAsync(viaBearer);
        using var viaXoauth2 = await bed.ConnectAsync();
        await viaXoauth2.AuthenticateAsync(new SaslMechanismOAuth2("Alice@Demo.Test", token));
        var xoauth2Subjects = await TokenGateway.InboxSubjectsAsync(viaXoauth2);

        Assert.Contains("OAUTHBEARER", advertised);
        Assert.Contains("XOAUTH2", advertised);
        Assert.Equal([TokenGateway.PrimarySubject], bearerSubjects);
        Assert.Equal([TokenGateway.PrimarySubject], xoauth2Subjects);
    }

    [Fact]
    public async Task OAuthBearer_RouteChanged_SessionByeThenSameTokenReadsSovereign()
    {
        await using var bed = await TokenGateway.StartAsync(redis.Server.ConnectionString);
        await TokenGateway.AppendAsync(bed.Sovereign, "alice@demo.test", "on sovereign");
        var (token, _) = await bed.GetTokenAsync("alice@demo.test");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", bed.ImapPort);
        using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await reader.ReadLineAsync();
        var sasl = Convert.ToBase64String(Encoding.UTF8.GetBytes($"n,a=alice@demo.test,\u0001auth=Bearer {token}\u0001\u0001"));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"A1 AUTHENTICATE OAUTHBEARER {sasl}\r\n"));
        var loggedIn = await reader.ReadLineAsync();
        using var ops = bed.Client(DemoGateway.OpsKey);

        var moved = await ops.PostAsJsonAsync("admin/api/tenants/demo/routes", new { user = "alice@demo.test", to = "sovereign", reason = "sanctions" });
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var bye = await reader.ReadLineAsync(wait.Token);
        using var again = await bed.ConnectAsync();
        await again.AuthenticateAsync(new SaslMechanismOAuthBearer("alice@demo.test", token));
        var subjects = await TokenGateway.InboxSubjectsAsync(again);

        Assert.StartsWith("A1 OK", loggedIn, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("* BYE [UNAVAILABLE] Your mailbox has moved to another server; please reconnect", bye);
        Assert.Equal(["on sovereign"], subjects);
    }

    [Fact]
    public async Task Bearer_WithoutMailScope_OtherClient_OtherAudience_OrAlicesTokenAsBob_AuthenticationFailed()
    {
        await using var bed = await TokenGateway.StartAsync(redis.Server.ConnectionString);
        var (noScope, _) = await bed.GetTokenAsync("alice@demo.test", scope: "openid email offline_access");
        var (otherClient, _) = await bed.GetTokenAsync("alice@demo.test", client: "other-app", scope: "openid email mail");
        var (otherAudience, _) = await bed.GetTokenAsync("bob@demo.test", client: "reports-app", scope: "openid email reports");
        var (alices, _) = await bed.GetTokenAsync("alice@demo.test");
        _ = await bed.GetTokenAsync("bob@demo.test"); // bob has an account of his own

        var refusals = new List<string>();
        foreach (var (user, token) in new[] { ("alice@demo.test", noScope), ("alice@demo.test", otherClient), ("bob@demo.test", otherAudience), ("bob@demo.test", alices) })
        {
            refusals.Add(await RawBearerAsync(bed.ImapPort, "OAUTHBEARER", user, token));
        }

        using var good = await bed.ConnectAsync();
        await good.AuthenticateAsync(new SaslMechanismOAuth2("alice@demo.test", alices));

        Assert.All(refusals, r => Assert.StartsWith("A1 NO [AUTHENTICATIONFAILED]", r, StringComparison.Ordinal));
        Assert.True(good.IsAuthenticated);
    }

    [Fact]
    public async Task OAuthBearer_Refused_Rfc7628ErrorChallengeThenDummyResponseThenNo()
    {
        await using var bed = await TokenGateway.StartAsync(redis.Server.ConnectionString);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", bed.ImapPort);
        using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await reader.ReadLineAsync();
        var response = Convert.ToBase64String(Encoding.UTF8.GetBytes("n,a=alice@demo.test,\u0001auth=Bearer not.a.token\u0001\u0001"));

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"A1 AUTHENTICATE OAUTHBEARER {response}\r\n"));
        var challenge = await reader.ReadLineAsync();
        await stream.WriteAsync("AQ==\r\n"u8.ToArray()); // the client's dummy response: %x01
        var final = await reader.ReadLineAsync();
        await stream.WriteAsync("A2 NOOP\r\n"u8.ToArray());
        var after = await reader.ReadLineAsync();

        Assert.StartsWith("+ ", challenge, StringComparison.Ordinal);
        var error = System.Text.Json.Nodes.JsonNode.Parse(Convert.FromBase64String(challenge![2..]))!;
        Assert.Equal("invalid_token", error["status"]!.GetValue<string>());
        Assert.StartsWith("A1 NO [AUTHENTICATIONFAILED]", final, StringComparison.Ordinal);
        Assert.StartsWith("A2 OK", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_TokenRevokedByAdmin_AuthenticationFailed()
    {
        await using var bed = await TokenGateway.StartAsync(redis.Server.ConnectionString);
        var (token, _) = await bed.GetTokenAsync("alice@demo.test");
        using (var before = await bed.ConnectAsync())
        {
            await before.AuthenticateAsync(new SaslMechanismOAuthBearer("alice@demo.test", token));
        }

        using var ops = bed.Client(DemoGateway.OpsKey);
        var revoked = await ops.PostAsJsonAsync("admin/api/tenants/demo/accounts/alice@demo.test/revoke", new { reason = "lost laptop" });
        var after = await RawBearerAsync(bed.ImapPort, "OAUTHBEARER", "alice@demo.test", token);

        Assert.Equal(System.Net.HttpStatusCode.OK, revoked.StatusCode);
        Assert.StartsWith("A1 NO [AUTHENTICATIONFAILED]", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_ExpiredToken_AuthenticationFailed()
    {
        await using var bed = await TokenGateway.StartAsync(redis.Server.ConnectionString, accessTokenLifetime: "00:00:02");
        var (token, expiresIn) = await bed.GetTokenAsync("alice@demo.test");
        var expires = DateTimeOffset.UtcNow.AddSeconds(expiresIn + 1);

        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow > expires, TimeSpan.FromSeconds(10), "the access token expires");
        var xoauth2 = await RawBearerAsync(bed.ImapPort, "XOAUTH2", "alice@demo.test", token);

        Assert.InRange(expiresIn, 1, 2);
        Assert.StartsWith("A1 NO [AUTHENTICATIONFAILED]", xoauth2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submission_XOAuth2WithRealToken_Authenticated_NoScopeAndRevoked535()
    {
        await using var bed = await TokenGateway.StartAsync(redis.Server.ConnectionString);
        var (token, _) = await bed.GetTokenAsync("alice@demo.test");
        var (noScope, _) = await bed.GetTokenAsync("alice@demo.test", scope: "openid email offline_access");

        using var good = new MailKit.Net.Smtp.SmtpClient();
        await good.ConnectAsync("127.0.0.1", bed.SubmissionPort, SecureSocketOptions.None);
        var offered = good.AuthenticationMechanisms.ToList();
        await good.AuthenticateAsync(new SaslMechanismOAuth2("alice@demo.test", token));
        using var withoutScope = new MailKit.Net.Smtp.SmtpClient();
        await withoutScope.ConnectAsync("127.0.0.1", bed.SubmissionPort, SecureSocketOptions.None);
        var noScopeError = await Assert.ThrowsAsync<AuthenticationException>(() => withoutScope.AuthenticateAsync(new SaslMechanismOAuthBearer("alice@demo.test", noScope)));
        using var ops = bed.Client(DemoGateway.OpsKey);
        await ops.PostAsJsonAsync("admin/api/tenants/demo/accounts/alice@demo.test/revoke", new { reason = "lost phone" });
        using var revoked = new MailKit.Net.Smtp.SmtpClient();
        await revoked.ConnectAsync("127.0.0.1", bed.SubmissionPort, SecureSocketOptions.None);
        var revokedError = await Assert.ThrowsAsync<AuthenticationException>(() => revoked.AuthenticateAsync(new SaslMechanismOAuth2("alice@demo.test", token)));

        Assert.Contains("XOAUTH2", offered);
        Assert.Contains("OAUTHBEARER", offered);
        Assert.True(good.IsAuthenticated);
        Assert.Contains("535", noScopeError.Message + (noScopeError.InnerException?.Message ?? ""), StringComparison.Ordinal);
        Assert.Contains("535", revokedError.Message + (revokedError.InnerException?.Message ?? ""), StringComparison.Ordinal);
    }

    /// <summary>One AUTHENTICATE with SASL-IR; answers the error challenge with the dummy response; returns the tagged answer.</summary>
    internal static async Task<string> RawBearerAsync(int port, string mechanism, string user, string token)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await reader.ReadLineAsync();
        var sasl = mechanism == "XOAUTH2" ? $"user={user}\u0001auth=Bearer {token}\u0001\u0001" : $"n,a={user},\u0001auth=Bearer {token}\u0001\u0001";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"A1 AUTHENTICATE {mechanism} {Convert.ToBase64String(Encoding.UTF8.GetBytes(sasl))}\r\n"));
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('+'))
            {
                await stream.WriteAsync("AQ==\r\n"u8.ToArray());
                continue;
            }

            if (line.StartsWith("A1 ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        return "(closed)";
    }
}
