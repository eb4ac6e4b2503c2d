namespace Continuity.Mail.Proxy;

/// <summary>Why a splice ended.</summary>
internal enum SpliceEnd
{
    ClientClosed,
    BackendClosed,
    ClosedByGateway,
    IdleTimeout,
    SessionTimeout,
    Closed,
}
