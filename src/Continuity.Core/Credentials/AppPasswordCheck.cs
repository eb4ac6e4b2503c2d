namespace Continuity.Core.Credentials;

/// <summary>The result of checking a presented app password.</summary>
/// <param name="Valid">True when the password belongs to the user and is not revoked.</param>
/// <param name="Id">The matching password's id when <paramref name="Valid"/>.</param>
public readonly record struct AppPasswordCheck(bool Valid, string? Id)
{
    public static AppPasswordCheck Invalid => new(false, null);
}
