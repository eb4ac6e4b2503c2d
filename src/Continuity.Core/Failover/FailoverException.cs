namespace Continuity.Core.Failover;

/// <summary>Why a failover request, approval or rejection was refused; the admin API maps each kind to a status.</summary>
public enum FailoverErrorKind
{
    /// <summary>400: the request itself is wrong (unknown provider or user, empty reason, …).</summary>
    Invalid,

    /// <summary>403: this admin may not do this (other tenant, viewer, approving their own request).</summary>
    Forbidden,

    /// <summary>404: no such tenant or approval request.</summary>
    NotFound,

    /// <summary>409: the state moved (route version, request already decided or expired).</summary>
    Conflict,
}

public sealed class FailoverException : Exception
{
    public FailoverException(FailoverErrorKind kind, string message)
        : base(message) => Kind = kind;

    public FailoverException()
    {
    }

    public FailoverException(string message)
        : base(message)
    {
    }

    public FailoverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FailoverErrorKind Kind { get; }
}
