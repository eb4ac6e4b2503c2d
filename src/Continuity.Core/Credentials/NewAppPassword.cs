namespace Continuity.Core.Credentials;

/// <summary>A freshly created app password: <see cref="Secret"/> is shown to the user once and never stored.</summary>
public sealed record NewAppPassword(AppPassword Info, string Secret);
