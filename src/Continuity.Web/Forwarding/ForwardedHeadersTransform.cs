using System.Collections.Frozen;
using System.Net;
using Yarp.ReverseProxy.Transforms;

namespace Continuity.Web.Forwarding;

/// <summary>
/// <c>X-Forwarded-For/Proto/Host</c> for the backend. From a trusted proxy the incoming values are
/// kept (For gets the proxy appended); from anyone else they are replaced by what the gateway saw,
/// so a client cannot make a backend believe it came from elsewhere. Every other header a backend
/// might read as "the proxy says" (<see cref="ClientClaims"/>) is dropped, whoever sent it, in every
/// spelling that a backend may read as the same name (case, '_' for '-': CGI and PHP map both to
/// <c>HTTP_X_REAL_IP</c>).
/// </summary>
internal sealed class ForwardedHeadersTransform(IReadOnlySet<IPAddress> trusted) : RequestTransform
{
    private const string For = "X-Forwarded-For";
    private const string Proto = "X-Forwarded-Proto";
    private const string Host = "X-Forwarded-Host";

    /// <summary>
    /// Client address, scheme, host, port, path prefix or original URL as some proxy or framework reads them
    /// (RFC 7239 <c>Forwarded</c>, nginx <c>X-Real-IP</c>, Akamai/Cloudflare <c>True-Client-IP</c>, ASP.NET
    /// <c>X-Forwarded-Prefix</c>, IIS <c>X-Original-URL</c>, …), normalised by <see cref="Normalise"/>.
    /// The gateway sends none of them; only its own <c>X-Forwarded-For/Proto/Host</c>.
    /// </summary>
    internal static readonly FrozenSet<string> ClientClaims = new[]
    {
        "FORWARDED", "X-FORWARDED-FOR", "X-FORWARDED-PROTO", "X-FORWARDED-HOST", "X-FORWARDED-PREFIX", "X-FORWARDED-PORT",
        "X-FORWARDED-SERVER", "X-FORWARDED-SSL", "X-FORWARDED-SCHEME", "X-FORWARDED-PATH", "X-FORWARDED-URI", "X-URL-SCHEME", "FRONT-END-HTTPS",
        "X-REAL-IP", "TRUE-CLIENT-IP", "X-CLIENT-IP", "X-CLUSTER-CLIENT-IP", "CF-CONNECTING-IP", "FASTLY-CLIENT-IP", "X-ORIGINAL-FORWARDED-FOR",
        "X-ORIGINAL-URL", "X-REWRITE-URL", "X-ORIGINAL-URI", "X-ORIGINAL-HOST", "X-HOST", "X-ORIGINAL-PROTO",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The name as a CGI-style backend sees it: upper case, '_' read as '-'.</summary>
    internal static string Normalise(string name) => name.Replace('_', '-').ToUpperInvariant();

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var request = http.Request;
        var headers = context.ProxyRequest.Headers;
        var peer = http.Connection.RemoteIpAddress;
        var fromTrusted = peer is not null && (trusted.Contains(peer) || (peer.IsIPv4MappedToIPv6 && trusted.Contains(peer.MapToIPv4())));
        foreach (var name in request.Headers.Keys)
        {
            if (ClientClaims.Contains(Normalise(name)))
            {
                headers.Remove(name);
                context.ProxyRequest.Content?.Headers.Remove(name);
            }
        }

        var peerText = peer?.ToString() ?? "unknown";
        var incomingFor = request.Headers[For].ToString();
        headers.TryAddWithoutValidation(For, fromTrusted && incomingFor.Length > 0 ? incomingFor + ", " + peerText : peerText);
        var incomingProto = request.Headers[Proto].ToString();
        headers.TryAddWithoutValidation(Proto, fromTrusted && incomingProto.Length > 0 ? incomingProto : request.Scheme);
        var incomingHost = request.Headers[Host].ToString();
        headers.TryAddWithoutValidation(Host, fromTrusted && incomingHost.Length > 0 ? incomingHost : request.Host.Value ?? "");
        return ValueTask.CompletedTask;
    }
}
