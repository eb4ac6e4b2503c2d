using Microsoft.AspNetCore.Authentication.Cookies;

namespace Continuity.Identity.AppSessions;

/// <summary>
/// The checks on every gateway session cookie, login host and app hosts alike: the admin's revocation
/// (<see cref="SessionValidation"/>) and the sign-out of the sign-in it came from (<see cref="SessionEnds"/>).
/// Both store reads are sent together (one round trip). An unreachable store accepts the cookie (fail-static).
/// </summary>
internal sealed class GatewaySessionEvents(SessionValidation revocation, SessionEnds ends) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        var ended = principal?.FindFirst(IdentityDefaults.TenantClaim)?.Value is { } tenant && principal.FindFirst(AppSessionClaims.SessionId)?.Value is { } sid
            ? IsEndedAsync(tenant, sid, context.HttpContext.RequestAborted)
            : Task.FromResult(false);
        await revocation.ValidatePrincipal(context);
        if (context.Principal is not null && await ended)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityDefaults.CookieScheme);
        }
    }

    private async Task<bool> IsEndedAsync(string tenant, string sid, CancellationToken cancellationToken)
    {
        try
        {
            return await ends.IsEndedAsync(tenant, sid, cancellationToken);
        }
        catch (StateUnavailableException)
        {
            return false;
        }
    }
}
