namespace Continuity.Identity.Stores;

/// <summary>An API scope as configured (<c>Continuity:Identity:Scopes</c>): its name and the resources (audiences) it grants.</summary>
public sealed class IdentityScope
{
    public required string Name { get; init; }
    public ImmutableArray<string> Resources { get; init; } = [];
}
