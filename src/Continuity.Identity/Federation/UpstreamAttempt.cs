using Continuity.Identity.Cutoff;

namespace Continuity.Identity.Federation;

/// <summary>
/// What the OpenIddict client handlers learned about the upstream login being completed in this
/// request, kept in <c>HttpContext.Items</c> for the callback endpoint.
/// </summary>
internal sealed class UpstreamAttempt
{
    public const string ItemKey = "continuity.upstream.attempt";

    public string? RegistrationId { get; set; }

    /// <summary>The address the user typed on the login page (from the state token).</summary>
    public string? User { get; set; }

    /// <summary>The return URL the login page accepted (from the state token), so that every detour keeps it.</summary>
    public string? ReturnUrl { get; set; }

    /// <summary>The upstream error as sent, if the upstream refused.</summary>
    public UpstreamError? Error { get; set; }
}
