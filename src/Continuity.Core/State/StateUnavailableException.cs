namespace Continuity.Core.State;

/// <summary>The state store cannot be reached: changes are refused (503), routing goes on from the snapshot.</summary>
public sealed class StateUnavailableException : Exception
{
    public StateUnavailableException()
        : base("The state store is unreachable; routing continues from the last snapshot, but changes are refused until it returns.")
    {
    }

    public StateUnavailableException(string message)
        : base(message)
    {
    }

    public StateUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
