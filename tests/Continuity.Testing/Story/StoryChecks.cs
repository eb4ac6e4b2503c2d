using System.Text.Json;

namespace Continuity.Testing.Story;

/// <summary>Questions the story asks the running gateway: probe state, sync runs.</summary>
public static class StoryChecks
{
    /// <summary>Whether the last identity probe of <paramref name="provider"/> succeeded (null: not probed yet), from <c>/health/status</c>.</summary>
    public static async Task<bool?> IdentityProbeUpAsync(this GatewayProcess gateway, string provider)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        using var response = await gateway.Admin.GetAsync("health/status");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var backend in json.RootElement.GetProperty("backends").EnumerateArray())
        {
            if (backend.GetProperty("kind").GetString() == "identity" && backend.GetProperty("provider").GetString() == provider)
            {
                return backend.GetProperty("up").GetBoolean();
            }
        }

        return null;
    }

    /// <summary>Waits until the identity probe of <paramref name="provider"/> reports <paramref name="up"/>.</summary>
    public static async Task WaitIdentityProbeAsync(this GatewayProcess gateway, string provider, bool up, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        bool? last = null;
        try
        {
            await Eventually.TrueAsync(async () => (last = await gateway.IdentityProbeUpAsync(provider)) == up, timeout, $"the identity probe of {provider} {(up ? "up" : "down")}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last: {last?.ToString() ?? "not probed"}\n{gateway.Describe()}", e);
        }
    }

    /// <summary><c>POST /admin/api/tenants/demo/sync/{user}/run</c>: one sync run now, waited for; its state afterwards.</summary>
    public static async Task<JsonElement> SyncNowAsync(this GatewayProcess gateway, string user)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        using var response = await gateway.Admin.PostAsync($"admin/api/tenants/{GatewayConfig.Tenant}/sync/{user}/run", null);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"sync run of {user}: {(int)response.StatusCode} {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }
}
