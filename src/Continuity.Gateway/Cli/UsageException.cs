namespace Continuity.Gateway.Cli;

/// <summary>A usage error found after parsing (a value from the environment, a file): exit 2 with the message, no request sent.</summary>
internal sealed class UsageException(string message) : Exception(message);
