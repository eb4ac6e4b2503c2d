using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Continuity.Mail.Tests.Imap;

/// <summary>A throw-away self-signed certificate for <c>mail.demo.test</c>, written as PKCS#12 into a test's directory.</summary>
internal static class TestCertificate
{
    public static string WritePfx(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mail.demo.test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("mail.demo.test");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(directory, "mail.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        return path;
    }
}
