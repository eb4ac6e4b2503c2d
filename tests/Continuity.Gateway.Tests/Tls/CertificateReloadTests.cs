using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Continuity.Testing;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.Tls;

/// <summary>
/// A renewed certificate is served without a restart: the built executable's MX (STARTTLS), IMAP proxy (STARTTLS) and
/// HTTPS listener, each given PEM files laid out as certbot does (<c>live/</c> links into <c>archive/</c>); the test
/// renews by pointing the links at new files, and a new TLS connection gets the new certificate.
/// </summary>
[Trait("Category", "Server")]
public sealed class CertificateReloadTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task MxAndImapStartTls_CertificateFilesRenewed_NewConnectionGetsTheNewCertificate()
    {
        // Arrange
        using var dir = new TempDirectory("certs");
        var live = CertbotLayout.Issue(dir.Path, "mx-before.demo.test", generation: 1);
        using var redis = new RedisServer();
        var options = Demo(redis.ConnectionString);
        options.Listeners.Smtp = FreePort.Next();
        options.Listeners.Imap = FreePort.Next();
        await using var gateway = await GatewayProcess.StartAsync("A", options, sections: root =>
        {
            var mail = new JsonObject
            {
                ["Tls"] = new JsonObject { ["CertificatePath"] = live.Certificate, ["KeyPath"] = live.Key },
                ["Access"] = new JsonObject { ["Tls"] = new JsonObject { ["CertificatePath"] = live.Certificate, ["KeyPath"] = live.Key } },
            };
            root["Continuity"]!["Mail"] = mail;
        });
        Assert.Equal("CN=mx-before.demo.test", await SmtpStartTlsSubjectAsync(options.Listeners.Smtp));
        Assert.Equal("CN=mx-before.demo.test", await ImapStartTlsSubjectAsync(options.Listeners.Imap));

        // Act: certbot renews — new files in archive/, the live/ links moved to them.
        CertbotLayout.Issue(dir.Path, "mx-after.demo.test", generation: 2);

        // Assert
        await Eventually.TrueAsync(async () => await SmtpStartTlsSubjectAsync(options.Listeners.Smtp) == "CN=mx-after.demo.test", Deadline, "the MX serves the new certificate");
        Assert.Equal("CN=mx-after.demo.test", await ImapStartTlsSubjectAsync(options.Listeners.Imap));
        Assert.True(gateway.IsRunning, gateway.Describe());
        Assert.Contains("now serving CN=mx-after.demo.test", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mx_RenewedCertificateDoesNotLoad_KeepsServingThePreviousOne()
    {
        // Arrange
        using var dir = new TempDirectory("certs");
        var live = CertbotLayout.Issue(dir.Path, "mx-good.demo.test", generation: 1);
        using var redis = new RedisServer();
        var options = Demo(redis.ConnectionString);
        options.Listeners.Smtp = FreePort.Next();
        await using var gateway = await GatewayProcess.StartAsync("A", options, sections: root =>
            root["Continuity"]!["Mail"] = new JsonObject { ["Tls"] = new JsonObject { ["CertificatePath"] = live.Certificate, ["KeyPath"] = live.Key } });

        // Act: a half-written certificate file.
        await File.WriteAllTextAsync(live.Certificate, "-----BEGIN CERTIFICATE-----\nMIIB");

        // Assert
        Assert.Equal("CN=mx-good.demo.test", await SmtpStartTlsSubjectAsync(options.Listeners.Smtp));
        await Eventually.TrueAsync(() => gateway.Output.Contains("does not load", StringComparison.Ordinal), Deadline, "the failed reload is logged");
    }

    [Fact]
    public async Task Https_KestrelCertificateFilesRenewed_NewConnectionGetsTheNewCertificate()
    {
        // Arrange: HTTPS as docs/production.md configures it (Kestrel:Endpoints with PEM files).
        using var dir = new TempDirectory("certs");
        var live = CertbotLayout.Issue(dir.Path, "login-before.demo.test", generation: 1);
        using var redis = new RedisServer();
        var http = FreePort.Next();
        var https = FreePort.Next();
        await using var gateway = await GatewayProcess.StartAsync("A", Demo(redis.ConnectionString), port: http, sections: root =>
            root["Kestrel"] = new JsonObject
            {
                ["Endpoints"] = new JsonObject
                {
                    ["Http"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{http}" },
                    ["Https"] = new JsonObject
                    {
                        ["Url"] = $"https://127.0.0.1:{https}",
                        ["Certificate"] = new JsonObject { ["Path"] = live.Certificate, ["KeyPath"] = live.Key },
                    },
                },
            });
        Assert.Equal("CN=login-before.demo.test", await TlsSubjectAsync(https, stream => Task.CompletedTask));

        // Act
        CertbotLayout.Issue(dir.Path, "login-after.demo.test", generation: 2);

        // Assert
        var last = "";
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    last = await TlsSubjectAsync(https, stream => Task.CompletedTask);
                }
                catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException)
                {
                    last = ex.Message;
                }

                return last == "CN=login-after.demo.test";
            }, Deadline, "HTTPS serves the new certificate");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"HTTPS still answers '{last}'\n{gateway.Describe()}");
        }

        Assert.True(gateway.IsRunning, gateway.Describe());
    }

    private static Task<string> SmtpStartTlsSubjectAsync(int port) => TlsSubjectAsync(port, async stream =>
    {
        await ReadReplyAsync(stream); // 220 greeting
        await WriteAsync(stream, "EHLO client.example.org\r\n");
        await ReadReplyAsync(stream);
        await WriteAsync(stream, "STARTTLS\r\n");
        var ready = await ReadReplyAsync(stream);
        Assert.StartsWith("220", ready, StringComparison.Ordinal);
    });

    private static Task<string> ImapStartTlsSubjectAsync(int port) => TlsSubjectAsync(port, async stream =>
    {
        await ReadReplyAsync(stream); // * OK greeting
        await WriteAsync(stream, "a1 STARTTLS\r\n");
        var ready = await ReadReplyAsync(stream);
        Assert.StartsWith("a1 OK", ready, StringComparison.Ordinal);
    });

    /// <summary>Connects, runs the plain-text part of the protocol, then a TLS handshake; returns the server certificate's subject.</summary>
    private static async Task<string> TlsSubjectAsync(int port, Func<NetworkStream, Task> beforeTls)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var network = client.GetStream();
        network.ReadTimeout = 10_000;
        await beforeTls(network);
        string? subject = null;
        await using var tls = new SslStream(network, leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            // Self-signed test certificates: trusted when there is one; what the test checks is which one.
            subject = certificate?.Subject;
            return certificate is not null;
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        return subject ?? "";
    }

    private static Task WriteAsync(NetworkStream stream, string line) => stream.WriteAsync(Encoding.ASCII.GetBytes(line)).AsTask();

    /// <summary>Reads one reply (SMTP: up to the line whose 4th character is a space; IMAP: one line), byte by byte so nothing of the TLS handshake is read.</summary>
    private static async Task<string> ReadReplyAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            line.Append((char)one[0]);
            if (one[0] != '\n')
            {
                continue;
            }

            text.Append(line);
            var done = line.Length < 4 || line[3] != '-';
            line.Clear();
            if (done)
            {
                break;
            }
        }

        return text.ToString();
    }

    /// <summary>certbot's layout: <c>archive/certN.pem</c>, <c>archive/privkeyN.pem</c>, and <c>live/</c> links to the newest.</summary>
    private static class CertbotLayout
    {
        public static (string Certificate, string Key) Issue(string root, string name, int generation)
        {
            var archive = Directory.CreateDirectory(Path.Combine(root, "archive")).FullName;
            var live = Directory.CreateDirectory(Path.Combine(root, "live")).FullName;
            using var key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
            var certFile = Path.Combine(archive, $"cert{generation}.pem");
            var keyFile = Path.Combine(archive, $"privkey{generation}.pem");
            File.WriteAllText(certFile, certificate.ExportCertificatePem());
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
            var liveCert = Path.Combine(live, "fullchain.pem");
            var liveKey = Path.Combine(live, "privkey.pem");
            Relink(liveKey, keyFile);
            Relink(liveCert, certFile);
            return (liveCert, liveKey);
        }

        /// <summary>A new link beside the old one, renamed over it: the swap is atomic, as certbot's.</summary>
        private static void Relink(string link, string target)
        {
            var temporary = link + ".new";
            File.Delete(temporary);
            File.CreateSymbolicLink(temporary, target);
            File.Move(temporary, link, overwrite: true);
        }
    }
}
