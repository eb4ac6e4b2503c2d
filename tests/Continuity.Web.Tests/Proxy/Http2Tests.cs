using System.Net;
using System.Net.Sockets;
using Continuity.Web.Tests.Support;

namespace Continuity.Web.Tests.Proxy;

[Trait("Category", "Server")]
public sealed class Http2Tests
{
    [Fact]
    public async Task Http2Client_OverTlsWithAlpn_IsRoutedPerUser()
    {
        using var ca = new TestCa();
        using var certificate = ca.Issue(WebWorld.WebmailHost, WebWorld.LoginHost);
        await using var world = await WebWorld.StartAsync(tls: certificate);
        var aliceCookie = await world.SignInAsync("alice@demo.test");
        var bobCookie = await world.SignInAsync("bob@demo.test");
        using var client = Http2Client(world, ca);
        var inbox = new Uri($"https://{WebWorld.WebmailHost}:{world.TlsPort}/inbox");

        var before = (await GetAsync(client, inbox, aliceCookie), await GetAsync(client, inbox, bobCookie));
        await world.RouteAsync("alice@demo.test", "sovereign");
        var after = (await GetAsync(client, inbox, aliceCookie), await GetAsync(client, inbox, bobCookie));

        Assert.Equal(("primary webmail.demo.test", "primary webmail.demo.test"), before);
        Assert.Equal(("sovereign webmail.demo.test", "primary webmail.demo.test"), after);
    }

    [Fact]
    public async Task Http2Client_WithoutSession_IsSentToLogin()
    {
        using var ca = new TestCa();
        using var certificate = ca.Issue(WebWorld.WebmailHost, WebWorld.LoginHost);
        await using var world = await WebWorld.StartAsync(tls: certificate);
        using var client = Http2Client(world, ca);

        using var response = await client.GetAsync(new Uri($"https://{WebWorld.WebmailHost}:{world.TlsPort}/inbox"));

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith($"http://login.demo.test/login?returnUrl=https%3A%2F%2Fwebmail.demo.test%3A{world.TlsPort}%2Finbox", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsClient_WithUntrustedCertificate_IsRefusedByClient()
    {
        using var ca = new TestCa();
        using var other = new TestCa();
        using var certificate = other.Issue(WebWorld.WebmailHost);
        await using var world = await WebWorld.StartAsync(tls: certificate);
        using var client = Http2Client(world, ca);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"https://{WebWorld.WebmailHost}:{world.TlsPort}/inbox")));
    }

    private static async Task<string> GetAsync(HttpClient client, Uri url, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpVersion.Version20, response.Version);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>HTTP/2 only (no fallback to 1.1), TLS checked against the test CA, every host name reaching the gateway's TLS port.</summary>
    private static HttpClient Http2Client(WebWorld world, TestCa ca) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => ca.Validate(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2, errors) },
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, world.TlsPort, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };
}
