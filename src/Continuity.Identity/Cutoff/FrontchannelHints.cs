using System.Collections.Concurrent;
using Continuity.Core.Audit;

namespace Continuity.Identity.Cutoff;

/// <summary>
/// Upstream refusals that come back through the browser (<c>error=…</c> on <c>/signin/{tenant}/{provider}</c>).
/// Whoever holds the browser chooses that query string: anyone can start a login with a victim's address to get
/// a valid state and then send <c>error=access_denied&amp;error_description=AADSTS50057</c> without ever visiting
/// the upstream. So such a refusal is only a hint: it never raises a cut-off signal or moves a route; it is
/// logged and audited as <c>identity.cutoff.hint</c>, saying where it came from, at most once per
/// (tenant, address, client address) per <see cref="Interval"/> on this node, so a flood cannot bury the audit.
/// Evidence that moves routes comes from the back channel: the upstream's token endpoint, probes, mail backends.
/// </summary>
internal sealed partial class FrontchannelHints(CutoffClassifier classifier, AuditLog audit, TimeProvider time, ILogger<FrontchannelHints> logger)
{
    /// <summary>One audit record per address and client per 5 minutes: enough to see a pattern, too few to flood.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>Bound of the rate table; past it, entries older than <see cref="Interval"/> are dropped.</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(string Tenant, string User, string Client), DateTimeOffset> _last = new();

    public async Task<CutoffClass> RecordAsync(string tenant, string provider, string? user, UpstreamError error, string? client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var kind = classifier.Classify(error);
        if (kind is CutoffClass.None or CutoffClass.Transient)
        {
            return kind;
        }

        var now = time.GetUtcNow();
        var key = (tenant, user?.ToLowerInvariant() ?? "", client ?? "unknown");
        if (_last.TryGetValue(key, out var last) && now - last < Interval)
        {
            Log.HintSuppressed(logger, tenant, provider);
            return kind;
        }

        Prune(now);
        _last[key] = now;
        var evidence = CutoffReporter.Evidence(error, kind);
        Log.Hint(logger, tenant, provider, kind);
        cancellationToken.ThrowIfCancellationRequested();
        await audit.AppendAsync(new AuditEntry("signal:identity-frontchannel", "identity.cutoff.hint", tenant, user?.ToLowerInvariant(), provider, null,
            "an upstream refusal came back through the browser: a hint only, not evidence (nothing was moved)",
            $"source: front channel (unverified), client {client ?? "unknown"}; claimed: {evidence}"), cancellationToken);
        return kind;
    }

    private void Prune(DateTimeOffset now)
    {
        if (_last.Count < MaxEntries)
        {
            return;
        }

        foreach (var (key, at) in _last)
        {
            if (now - at >= Interval)
            {
                _last.TryRemove(key, out _);
            }
        }

        if (_last.Count >= MaxEntries)
        {
            _last.Clear();
        }
    }
}
