namespace Continuity.Core.Credentials;

/// <summary>How app passwords are hashed and bounded.</summary>
public sealed class AppPasswordOptions
{
    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations for new passwords. Default 600 000, OWASP's 2023 figure for
    /// PBKDF2-SHA256. Each stored password keeps its own count, so raising it affects only new ones.
    /// </summary>
    public int Iterations { get; set; } = 600_000;

    /// <summary>Most app passwords one user may hold (each login checks one, found by id). Default 50.</summary>
    public int MaxPerUser { get; set; } = 50;

    /// <summary>Longest label accepted. Default 100 characters.</summary>
    public int MaxLabelLength { get; set; } = 100;
}
