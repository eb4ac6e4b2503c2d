namespace Continuity.Gateway.RateLimiting;

/// <summary>
/// Requests per client address to the endpoints an attacker can call without a credential or with guessed ones, bound
/// from <c>Continuity:RateLimits</c>. Past a limit the gateway answers 429 with <c>Retry-After</c> until the window
/// turns. The client address is the TCP peer (the gateway reads no forwarding headers), IPv6 per /64. The defaults are
/// far above what a person or a relying party sends and far below a flood.
/// </summary>
public sealed class RateLimitsOptions
{
    public const string SectionName = "Continuity:RateLimits";

    /// <summary>
    /// <c>POST /login</c> (the address form that starts a sign-in at the user's provider). Default 60 a minute: one sign-in
    /// takes one; an office behind one NAT address signs in at 9 o'clock without meeting it, a script trying addresses does.
    /// </summary>
    public EndpointRateLimitOptions Login { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// <c>/connect/token</c>. Default 600 a minute: a relying party redeems codes and refreshes tokens for all its users from
    /// one address, so this is ten a second on average, with bursts up to the whole minute's worth.
    /// </summary>
    public EndpointRateLimitOptions Token { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// <c>/admin/api</c> (API, console and CLI alike). Default 6000 a minute: a console, a CLI loop or a monitoring script
    /// polling every 10 ms stays under it; a key-guessing or flooding client does not.
    /// </summary>
    public EndpointRateLimitOptions Admin { get; set; } = new() { PermitLimit = 6000, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>At most <see cref="PermitLimit"/> requests per client address in each <see cref="Window"/> (a fixed window).</summary>
public sealed class EndpointRateLimitOptions
{
    /// <summary>Requests allowed per window; 0 turns the limit off.</summary>
    public int PermitLimit { get; set; }

    /// <summary>Length of a window; the count starts again when it turns.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
