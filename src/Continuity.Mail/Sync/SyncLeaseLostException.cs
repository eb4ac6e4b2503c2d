namespace Continuity.Mail.Sync;

/// <summary>A run lost its user's lease in the state store (expired, or taken by another node): it stops at once.</summary>
public sealed class SyncLeaseLostException : Exception
{
    public SyncLeaseLostException()
    {
    }

    public SyncLeaseLostException(string message)
        : base(message)
    {
    }

    public SyncLeaseLostException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
