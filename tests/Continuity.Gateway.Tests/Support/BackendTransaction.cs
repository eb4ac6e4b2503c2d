namespace Continuity.Gateway.Tests.Support;

/// <summary>One LMTP transaction as the backend saw it; <see cref="Reply"/> is null while it is stalled.</summary>
internal sealed class BackendTransaction(IReadOnlyList<string> recipients, string spoolId, string data, DateTimeOffset bodyAt)
{
    private string? _reply;

    public IReadOnlyList<string> Recipients { get; } = recipients;

    /// <summary>The message's <c>X-Continuity-Spool-Id</c> (the id the admin API shows).</summary>
    public string SpoolId { get; } = spoolId;

    public string Data { get; } = data;

    /// <summary>When the final dot arrived (the backend's clock, which is the gateway's: same machine).</summary>
    public DateTimeOffset BodyAt { get; } = bodyAt;

    /// <summary>The reply sent after the final dot; null while the transaction is stalled.</summary>
    public string? Reply
    {
        get => Volatile.Read(ref _reply);
        set => Volatile.Write(ref _reply, value);
    }
}
