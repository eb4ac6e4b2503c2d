using System.Text.Json.Serialization;

namespace Continuity.Identity.AppSessions;

/// <summary>
/// What the login host hands an app host in a sign-in ticket (data-protected, so only a gateway node can
/// read or make one): the session's claims, for which tenant and app host, where to go afterwards, until
/// when, and a one-time id.
/// </summary>
/// <param name="Tenant">Tenant id; the app host must be one of its apps.</param>
/// <param name="Host">App host name (lower case, no port) the ticket is for.</param>
/// <param name="ReturnPath">Path and query on the app host to go to after the session starts.</param>
/// <param name="ExpiresAt">Unix ms after which the ticket is refused.</param>
/// <param name="Id">Random one-time id, claimed in the state store on redemption.</param>
/// <param name="Claims">The login session's claims, as (type, value) pairs.</param>
/// <param name="Binding">SHA-256 of the app host's nonce cookie in the browser that asked (<see cref="AppSessionBinding"/>).</param>
internal sealed record AppSessionTicket(string Tenant, string Host, string ReturnPath, long ExpiresAt, string Id, string[][] Claims, string? Binding = null);

[JsonSerializable(typeof(AppSessionTicket))]
internal sealed partial class AppSessionJsonContext : JsonSerializerContext;
