namespace Continuity.Gateway;

/// <summary>
/// The event ids this assembly's <c>[LoggerMessage]</c> methods may use: every assembly of the gateway has a range of its
/// own, so an id names one message across the whole product (a test checks ranges and uniqueness).
/// </summary>
internal static class LogEventIds
{
    /// <summary>The lowest id of this assembly.</summary>
    public const int First = 7000;

    /// <summary>The highest id of this assembly.</summary>
    public const int Last = 9999;
}
