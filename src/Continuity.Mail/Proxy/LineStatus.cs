namespace Continuity.Mail.Proxy;

internal enum LineStatus
{
    Line,
    TooLong,
    Closed,
}
