namespace Continuity.Gateway.Admin;

/// <summary>The admin API's authorization policy: any authenticated admin; tenant and role checks are per endpoint.</summary>
internal static class AdminPolicy
{
    public const string Name = "continuity-admin";
}
