using Continuity.Mail.Queue;

namespace Continuity.Gateway.Admin.Contracts;

/// <summary><c>GET /admin/api/queue</c>: the caller's tenant's part of this node's spool.</summary>
internal sealed record QueueListing(int Count, double OldestAgeSeconds, IReadOnlyList<QueuedMessageView> Messages);

/// <summary>One user's mailbox copy state (<c>GET …/sync</c>, <c>…/sync/{user}</c>, <c>POST …/sync/{user}/run</c>).</summary>
internal sealed record SyncStateView(
    string User,
    double? LagSeconds,
    bool Stale,
    DateTimeOffset? LastRunStarted,
    DateTimeOffset? LastSuccess,
    string? LastDirection,
    int MessagesCopied,
    long TotalCopied,
    int FlagsUpdated,
    int KeywordsDropped,
    long TotalKeywordsDropped,
    string? LastError,
    IReadOnlyList<string> Warnings,
    bool FailbackPending);
