using System.Diagnostics.CodeAnalysis;
using MailKit.Security;

namespace Continuity.Mail.Sync;

/// <summary>An IMAP backend from <c>Providers:*:Mail:Imap</c>: <c>imap://host:port</c> (plain) or <c>imaps://host:port</c> (TLS).</summary>
internal sealed record ImapEndpoint(string Host, int Port, SecureSocketOptions Security)
{
    /// <summary>Key for the per-backend parallelism limit.</summary>
    public string Key => $"{Host}:{Port}";

    public static bool TryParse(string? value, [NotNullWhen(true)] out ImapEndpoint? endpoint)
    {
        endpoint = null;
        if (value is null || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return false;
        }

        switch (uri.Scheme)
        {
            case "imap":
                endpoint = new ImapEndpoint(uri.Host, uri.IsDefaultPort ? 143 : uri.Port, SecureSocketOptions.StartTlsWhenAvailable);
                return true;
            case "imaps":
                endpoint = new ImapEndpoint(uri.Host, uri.IsDefaultPort ? 993 : uri.Port, SecureSocketOptions.SslOnConnect);
                return true;
            default:
                return false;
        }
    }
}
