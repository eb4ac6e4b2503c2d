using Continuity.Identity.AdminSignIn;
using Microsoft.AspNetCore.Authentication;

namespace Continuity.Gateway.Console;

/// <summary>
/// Who is using the console: the gateway session's address looked up under <c>Continuity:Tenants:{tenant}:Admins</c>
/// by the same handler that lets that cookie into the admin API (<see cref="AdminSignInHandler"/>), so the console and
/// the API agree on every admin and role. Like the API, the console takes the cookie only on the tenant's login host.
/// </summary>
internal static class ConsoleAdmin
{
    public const string SignOutPath = "/admin/signout";

    public static bool IsSignOut(PathString path) => path.Equals(SignOutPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The admin, or why this signed-in person may not use the console.</summary>
    public static async Task<(AdminActor? Actor, string? Refusal)> ResolveAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(AdminSignInDefaults.Scheme);
        if (!result.Succeeded || result.Principal.Identity?.Name is not { Length: > 0 } name
            || result.Principal.FindFirst(AdminSignInDefaults.TenantClaim)?.Value is not { Length: > 0 } tenant)
        {
            return (null, "This page is for the organisation's admins. Sign in with an admin's address.");
        }

        var options = http.RequestServices.GetRequiredService<IOptions<ContinuityOptions>>().Value;
        if (options.Tenants.GetValueOrDefault(tenant)?.Hosts.Login is { Length: > 0 } login
            && !string.Equals(http.Request.Host.Host, login, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"The admin console of tenant '{tenant}' is on its login host '{login}', not on '{http.Request.Host.Host}'.");
        }

        if (result.Principal.FindFirst(AdminSignInDefaults.RoleClaim)?.Value is not { } role || !Enum.TryParse<AdminRole>(role, out var parsed))
        {
            return (null, $"{name} is signed in but is not an admin of tenant '{tenant}'. Ask an admin to list this address under the tenant's Admins.");
        }

        return (new AdminActor(name, tenant, parsed), null);
    }
}
