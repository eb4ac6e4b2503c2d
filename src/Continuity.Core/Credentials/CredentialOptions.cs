namespace Continuity.Core.Credentials;

/// <summary>App passwords and the login throttle, bound from <c>Continuity:Credentials</c>.</summary>
public sealed class CredentialOptions
{
    public const string SectionName = "Continuity:Credentials";

    public AppPasswordOptions AppPasswords { get; set; } = new();

    public LoginThrottleOptions Throttle { get; set; } = new();
}
