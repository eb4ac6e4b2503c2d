namespace Continuity.Web.Proxy;

/// <summary>
/// Names in the generated YARP configuration. Route id <c>{tenant}/{app}</c>, cluster id
/// <c>{tenant}/{app}/{provider}</c>; routes and clusters carry tenant, app (and provider) as metadata
/// so the per-request step and the health policy never parse ids.
/// </summary>
internal static class ProxyMetadata
{
    public const string Tenant = "continuity.tenant";
    public const string App = "continuity.app";
    public const string Provider = "continuity.provider";

    /// <summary>Name of the active health policy that reports to the gateway's health registry.</summary>
    public const string HealthPolicy = "continuity";

    public static string RouteId(string tenant, string app) => $"{tenant}/{app}";

    public static string ClusterId(string tenant, string app, string provider) => $"{tenant}/{app}/{provider}";

    /// <summary>The health registry's kind for an app's backends, e.g. <c>app:webmail</c>.</summary>
    public static string HealthKind(string app) => "app:" + app;
}
