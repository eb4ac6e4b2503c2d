using Continuity.Identity.Cutoff;

namespace Continuity.Identity.Configuration;

/// <summary>
/// How upstream login errors are read. <see cref="Codes"/> adds to (or overrides) the defaults in
/// <see cref="CutoffClassifier.DefaultCodes"/>, which follow Entra ID's AADSTS codes.
/// </summary>
public sealed class CutoffOptions
{
    /// <summary>Upstream error code (e.g. <c>50057</c>, or an OAuth error such as <c>temporarily_unavailable</c>) → class.</summary>
    public Dictionary<string, CutoffClass> Codes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
