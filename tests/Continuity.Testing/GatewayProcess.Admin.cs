using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Continuity.Testing;

/// <summary>The admin API and health calls tests make on a gateway process, and waits on their answers.</summary>
public sealed partial class GatewayProcess
{
    /// <summary><c>GET /admin/api/tenants/{tenant}/routes</c>: the node's in-memory snapshot (no store access).</summary>
    public async Task<GatewayRoutes> RoutesAsync(string tenant = GatewayConfig.Tenant)
    {
        using var response = await Admin.GetAsync($"admin/api/tenants/{tenant}/routes");
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET routes on gateway {Name}: {(int)response.StatusCode} {text}");
        }

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        return new GatewayRoutes(
            root.GetProperty("version").GetInt64(),
            root.GetProperty("default").GetString()!,
            root.GetProperty("users").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary><c>POST /admin/api/tenants/{tenant}/routes</c> with <c>{user, to, reason}</c>; the caller reads the answer.</summary>
    public Task<HttpResponseMessage> PostRouteAsync(string? user, string to, string reason, HttpClient? client = null) =>
        (client ?? Admin).PostAsJsonAsync($"admin/api/tenants/{GatewayConfig.Tenant}/routes", new { user, to, reason });

    /// <summary>A route change that must be applied (200, <c>status: applied</c>); returns the new route version.</summary>
    public async Task<long> ChangeRouteAsync(string? user, string to, string reason = "test")
    {
        using var response = await PostRouteAsync(user, to, reason);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST routes ({user ?? "tenant"} → {to}) on gateway {Name}: {(int)response.StatusCode} {text}");
        }

        using var json = JsonDocument.Parse(text);
        var status = json.RootElement.GetProperty("status").GetString();
        return status == "applied"
            ? json.RootElement.GetProperty("version").GetInt64()
            : throw new InvalidOperationException($"POST routes ({user ?? "tenant"} → {to}) on gateway {Name}: {status}, not applied: {text}");
    }

    /// <summary><c>GET /health/status</c> as JSON (with the admin key: the status is not public).</summary>
    public async Task<JsonElement> StatusAsync()
    {
        using var response = await Admin.GetAsync("health/status");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    /// <summary>Whether the node says its store is reachable (<c>store.reachable</c> of /health/status).</summary>
    public async Task<bool> StoreReachableAsync() =>
        (await StatusAsync()).GetProperty("store").GetProperty("reachable").GetBoolean();

    /// <summary>
    /// Waits until the node reaches its store and has confirmed its snapshot with it
    /// (<c>routes.lastVerifiedAt</c> set), i.e. it is subscribed to route changes.
    /// </summary>
    public Task WaitSyncedAsync(TimeSpan? timeout = null) =>
        WaitAsync(async () =>
        {
            var status = await StatusAsync();
            return status.GetProperty("store").GetProperty("reachable").GetBoolean()
                && status.GetProperty("routes").GetProperty("lastVerifiedAt").ValueKind == JsonValueKind.String;
        }, timeout ?? TimeSpan.FromSeconds(30), "the node reaches its store and has verified its routes");

    /// <summary>Waits until the node reports its store as <paramref name="reachable"/>.</summary>
    public Task WaitStoreReachableAsync(bool reachable, TimeSpan? timeout = null) =>
        WaitAsync(async () => await StoreReachableAsync() == reachable, timeout ?? TimeSpan.FromSeconds(30),
            reachable ? "the node reports its store reachable" : "the node reports its store unreachable");

    /// <summary>
    /// Polls the node's routes until <paramref name="user"/> (null: the tenant default) resolves to
    /// <paramref name="provider"/>; returns how long that took and the routes seen.
    /// </summary>
    public async Task<(TimeSpan Elapsed, GatewayRoutes Routes)> WaitForRouteAsync(string? user, string provider, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        GatewayRoutes? last = null;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                last = await RoutesAsync();
                return string.Equals(last.Resolve(user), provider, StringComparison.OrdinalIgnoreCase);
            }, timeout, $"gateway {Name} routes {user ?? "the tenant"} to {provider}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last seen {last}.\n{Describe()}", ex);
        }

        return (clock.Elapsed, last!);
    }

    private async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    return await condition();
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, timeout, $"gateway {Name}: {because}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{Describe()}", ex);
        }
    }
}

/// <summary>A node's routes for one tenant as its admin API shows them.</summary>
public sealed record GatewayRoutes(long Version, string Default, IReadOnlyDictionary<string, string> Users)
{
    public string Resolve(string? user) => user is not null && Users.TryGetValue(user, out var provider) ? provider : Default;

    public override string ToString() =>
        $"version {Version}, default {Default}, users {{{string.Join(", ", Users.Select(u => $"{u.Key}: {u.Value}"))}}}";
}
