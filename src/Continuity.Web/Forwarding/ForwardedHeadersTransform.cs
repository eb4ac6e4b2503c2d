using System.Net;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace Continuity.Web.Forwarding;

/// <summary>
/// <c>X-Forwarded-For/Proto/Host</c> for the backend. From a trusted proxy the incoming values are
/// kept (For gets the proxy appended); from anyone else they are replaced by what the gateway saw,
/// so a client cannot make a backend believe it came from elsewhere.
/// </summary>
internal sealed class ForwardedHeadersTransform(IReadOnlySet<IPAddress> trusted) : RequestTransform
{
    private const string For = "X-Forwarded-For";
    private const string Proto = "X-Forwarded-Proto";
    private const string Host = "X-Forwarded-Host";

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var request = http.Request;
        var headers = context.ProxyRequest.Headers;
        var peer = http.Connection.RemoteIpAddress;
        var fromTrusted = peer is not null && (trusted.Contains(peer) || (peer.IsIPv4MappedToIPv6 && trusted.Contains(peer.MapToIPv4())));
        headers.Remove(For);
        headers.Remove(Proto);
        headers.Remove(Host);

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
