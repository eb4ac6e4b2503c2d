namespace Continuity.Identity.Cutoff;

/// <summary>
/// An upstream error as the provider sent it, before OpenIddict replaced it with its own text.
/// </summary>
/// <param name="Where"><c>authorization</c> (front channel) or <c>token</c> (back channel).</param>
/// <param name="Error">The OAuth <c>error</c> value.</param>
/// <param name="Description">The provider's <c>error_description</c>, truncated (it never carries secrets, but may carry a trace id).</param>
/// <param name="Codes">Numeric codes: Entra's <c>error_codes</c> array, or <c>AADSTSnnnn</c> found in the description.</param>
/// <param name="HttpStatus">Status of a back-channel response, when known.</param>
public sealed record UpstreamError(string Where, string Error, string? Description, IReadOnlyList<string> Codes, int? HttpStatus = null);
