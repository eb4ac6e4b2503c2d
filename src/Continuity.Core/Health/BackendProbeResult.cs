namespace Continuity.Core.Health;

/// <summary>The latest probe of one backend of one provider.</summary>
/// <param name="Tenant">Tenant id.</param>
/// <param name="Provider">Provider name.</param>
/// <param name="Kind">What was probed: <c>inbound</c>, <c>imap</c>, <c>submission</c>, <c>identity</c>, <c>app:webmail</c>, …</param>
/// <param name="Target">Where (host:port or URL, never with credentials).</param>
/// <param name="Up">Whether the last probe succeeded.</param>
/// <param name="CheckedAt">When the last probe finished.</param>
/// <param name="Detail">What was seen: the banner, the error (no secrets).</param>
/// <param name="DownSince">When the backend started failing, while it is down.</param>
public sealed record BackendProbeResult(
    string Tenant,
    string Provider,
    string Kind,
    string Target,
    bool Up,
    DateTimeOffset CheckedAt,
    string Detail,
    DateTimeOffset? DownSince);
