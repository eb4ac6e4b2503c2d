using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Continuity.Mail.Tests.Smtp;

/// <summary>STARTTLS with a certificate made by certs/make-dev-certs.sh, verified against its development CA.</summary>
[Trait("Category", "Server")]
public sealed class MxTlsTests : IDisposable
{
    private readonly TempDirectory _dir = new("mx-tls");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task StartTls_DevCertificate_ClientVerifiesChainAndSends()
    {
        var certs = MakeCerts();
        await using var host = await MailHost.StartAsync(_dir.Combine("spool"), new Dictionary<string, string?>
        {
            ["Mail:Tls:CertificatePath"] = Path.Combine(certs, "server-chain.crt"),
            ["Mail:Tls:KeyPath"] = Path.Combine(certs, "server.key"),
        });
        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(certs, "ca.crt"));

        using var client = new SmtpClient();
        client.ServerCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate!);
            return chain.Build(leaf) && leaf.MatchesHostname("mx.demo.test");
        };
        await client.ConnectAsync("127.0.0.1", host.Port, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("s@outside.example"));
        message.To.Add(MailboxAddress.Parse("alice@demo.test"));
        message.Body = new TextPart("plain") { Text = "over TLS" };
        await client.SendAsync(message);
        await client.DisconnectAsync(true);

        Assert.Single(host.Queue.List());
    }

    private string MakeCerts()
    {
        var script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../certs/make-dev-certs.sh"));
        var output = _dir.Combine("certs");
        var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["OUT"] = output;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
