namespace Continuity.Mail.Proxy;

/// <summary>Follows the server's byte stream so a goodbye is only ever inserted between two whole responses.</summary>
internal interface IResponseBoundary
{
    /// <summary>True when the bytes fed so far end exactly at the end of a response line (not inside a line or literal).</summary>
    bool AtBoundary { get; }

    void Feed(ReadOnlySpan<byte> bytes);
}
