namespace Continuity.Mail.Proxy;

/// <summary>A provider's IMAP or submission backend, from its URI (<c>imaps://imap.example:993</c>).</summary>
internal sealed record BackendEndpoint(string Host, int Port, bool ImplicitTls)
{
    public static readonly string[] ImapSchemes = ["imap", "imaps"];
    public static readonly string[] SubmissionSchemes = ["smtp", "submission", "smtps"];

    public static bool TryParse(string uri, string[] schemes, out BackendEndpoint endpoint)
    {
        endpoint = null!;
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !schemes.Contains(parsed.Scheme, StringComparer.OrdinalIgnoreCase) || parsed.Host.Length == 0)
        {
            return false;
        }

        var tls = parsed.Scheme is "imaps" or "smtps";
        var port = parsed.IsDefaultPort || parsed.Port <= 0
            ? parsed.Scheme switch { "imap" => 143, "imaps" => 993, "smtps" => 465, _ => 587 }
            : parsed.Port;
        endpoint = new BackendEndpoint(parsed.Host, port, tls);
        return true;
    }

    public override string ToString() => $"{(ImplicitTls ? "tls" : "plain")}://{Host}:{Port}";
}
