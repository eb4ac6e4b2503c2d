using System.Text;
using Continuity.Mail.Imap;

namespace Continuity.Mail.Tests.Imap;

/// <summary>OAUTHBEARER / XOAUTH2 through the <see cref="IBearerTokenValidator"/> seam (<see cref="OneBearerToken"/>).</summary>
[Trait("Category", "Server")]
public sealed class ImapBearerTests(ProxyTestBed bed) : IClassFixture<ProxyTestBed>
{
    private Task<AccessHost> StartAsync() => AccessHost.StartWithBearerAsync(bed.Redis.ConnectionString, bed.Settings());

    [Fact]
    public async Task Authenticate_XOAuth2ValidToken_LoggedInAtBackend()
    {
        await using var host = await StartAsync();
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        Assert.Equal("* OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID STARTTLS AUTH=PLAIN AUTH=OAUTHBEARER AUTH=XOAUTH2] Continuity IMAP ready", await client.ReadLineAsync());
        var response = Convert.ToBase64String(Encoding.UTF8.GetBytes("user=alice@demo.test\u0001auth=Bearer good-token\u0001\u0001"));

        await client.SendAsync($"o1 AUTHENTICATE XOAUTH2 {response}\r\n");

        Assert.StartsWith("o1 OK [CAPABILITY IMAP4rev1", (await client.ReadUntilAsync("o1 "))[^1]);
    }

    [Fact]
    public async Task Authenticate_OAuthBearerBadToken_ErrorChallengeThenNo()
    {
        await using var host = await StartAsync();
        await using var client = await RawImap.ConnectAsync(host.ImapPort);
        await client.ReadLineAsync();
        var response = Convert.ToBase64String(Encoding.UTF8.GetBytes("n,a=alice@demo.test,\u0001host=mail.demo.test\u0001port=143\u0001auth=Bearer stolen\u0001\u0001"));

        await Transcript.ReplayAsync(client, $"""
            C: o2 AUTHENTICATE OAUTHBEARER {response}
            S: + eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=
            C: AQ==
            S: o2 NO [AUTHENTICATIONFAILED] Authentication failed
            """);
    }
}
