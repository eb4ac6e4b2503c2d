using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Core.Configuration;

namespace Continuity.Testing.Story;

/// <summary>
/// The mail and gateway half of the continuity story: two real Dovecots (primary, sovereign; alice, bob and carol
/// on each) and the built <c>continuity</c> executable as its own process, configured by <see cref="StoryConfig"/>
/// against the identity upstreams the caller started. The admin calls the story makes (approvals by two admins,
/// routes, app passwords) are here too. Disposing stops everything it started.
/// </summary>
public sealed class StoryWorld : IAsyncDisposable
{
    public static readonly string[] People = [GatewayConfig.Alice, GatewayConfig.Bob, GatewayConfig.Carol];

    private readonly TempDirectory _keys;

    private StoryWorld(StoryConfig config, GatewayProcess gateway, HttpClient secondAdmin, TempDirectory keys)
    {
        _keys = keys;
        Config = config;
        Gateway = gateway;
        SecondAdmin = secondAdmin;
    }

    public StoryConfig Config { get; }

    public GatewayProcess Gateway { get; }

    public DovecotServer PrimaryMail => Config.PrimaryMail;

    public DovecotServer SovereignMail => Config.SovereignMail;

    /// <summary>The first admin (<c>ops@demo.test</c>): <see cref="GatewayProcess.Admin"/>.</summary>
    public HttpClient Ops => Gateway.Admin;

    /// <summary>The second admin (<c>second@demo.test</c>), for the two-person rule.</summary>
    public HttpClient SecondAdmin { get; }

    /// <summary>Ports for the gateway (HTTP, MX, IMAP) and a relying party, picked before anything starts: the upstreams' and the relying party's registrations name them.</summary>
    public static (int Gateway, int Smtp, int Imap, int RelyingParty) PickPorts() => (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());

    /// <summary>Starts both Dovecots and the gateway (waits for <c>/health/ready</c>); <paramref name="configure"/> changes the story's options first.</summary>
    public static async Task<StoryWorld> StartAsync((int Gateway, int Smtp, int Imap, int RelyingParty) ports, Uri primaryIssuer, Uri sovereignIssuer, Action<ContinuityOptions>? configure = null)
    {
        var keys = new TempDirectory("story-keys");
        var primaryMail = DovecotServer.Start("story-primary", People);
        DovecotServer? sovereignMail = null;
        try
        {
            sovereignMail = DovecotServer.Start("story-sovereign", People);
            var config = new StoryConfig(ports.Gateway, ports.Smtp, ports.Imap, primaryIssuer, sovereignIssuer, primaryMail, sovereignMail,
                new Uri($"http://127.0.0.1:{ports.RelyingParty}/signin-oidc"), keys.Path);
            var options = config.Options();
            configure?.Invoke(options);
            var gateway = await GatewayProcess.StartAsync("story", options, sections: config.Sections, port: ports.Gateway);
            var second = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            second.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayConfig.SecondAdminKey);
            return new StoryWorld(config, gateway, second, keys);
        }
        catch
        {
            sovereignMail?.Dispose();
            primaryMail.Dispose();
            keys.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An app password for the user's mail client (admin API; shown once). Under the two-person rule it opens someone
    /// else's mailbox, so it waits (202) until the second admin approves its request; then it works.
    /// </summary>
    public async Task<string> AppPasswordAsync(string user)
    {
        using var created = await Ops.PostAsJsonAsync($"admin/api/tenants/{GatewayConfig.Tenant}/users/{user}/app-passwords", new { label = "story mail client" });
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var password = body["password"]?.GetValue<string>() ?? throw new InvalidOperationException($"app password for {user}: {(int)created.StatusCode} {body.ToJsonString()}");
        if (created.StatusCode == HttpStatusCode.Accepted)
        {
            var id = body["request"]?["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"app password for {user} waits for no request: {body.ToJsonString()}");
            var status = await ApproveAsync(id, SecondAdmin);
            if (status != "Applied")
            {
                throw new InvalidOperationException($"app password for {user}: request {id} is {status} after the second admin's approval");
            }
        }

        return password;
    }

    /// <summary>Pending approval requests of the tenant (<c>GET /admin/api/approvals</c>).</summary>
    public async Task<IReadOnlyList<StoryApproval>> PendingAsync()
    {
        using var response = await Ops.GetAsync("admin/api/approvals");
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET approvals: {(int)response.StatusCode} {text}");
        }

        using var json = JsonDocument.Parse(text);
        return [.. json.RootElement.EnumerateArray().Select(StoryApproval.Parse)];
    }

    /// <summary>Waits until a pending request for <paramref name="user"/> (null: tenant-wide) to <paramref name="to"/> shows in the admin API.</summary>
    public async Task<StoryApproval> WaitForSuggestionAsync(string? user, string to, TimeSpan timeout)
    {
        StoryApproval? found = null;
        IReadOnlyList<StoryApproval> last = [];
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                last = await PendingAsync();
                found = last.FirstOrDefault(a => string.Equals(a.User, user, StringComparison.OrdinalIgnoreCase) && a.To == to);
                return found is not null;
            }, timeout, $"a pending failover of {user ?? "the tenant"} to {to}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; pending: [{string.Join("; ", last)}]\n{Gateway.Describe()}", e);
        }

        return found!;
    }

    /// <summary>Approval by <paramref name="admin"/>; returns the request's status after it (<c>Pending</c>, <c>Applied</c>, …).</summary>
    public async Task<string> ApproveAsync(string id, HttpClient admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        using var response = await admin.PostAsync($"admin/api/approvals/{id}/approve", null);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"approve {id}: {(int)response.StatusCode} {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("status").GetString()!;
    }

    /// <summary>Both admins agree to <paramref name="id"/>: ops first, then the second admin, whose approval applies it.</summary>
    public async Task ApproveByBothAsync(string id)
    {
        var first = await ApproveAsync(id, Ops);
        if (first != "Pending")
        {
            throw new InvalidOperationException($"one admin's approval of {id} left it {first}, not Pending: the two-person rule did not hold");
        }

        var second = await ApproveAsync(id, SecondAdmin);
        if (second != "Applied")
        {
            throw new InvalidOperationException($"the second approval of {id} left it {second}, not Applied\n{Gateway.Describe()}");
        }
    }

    /// <summary>A route change through the admin API under the two-person rule: ops asks (202, pending), the second admin approves.</summary>
    public async Task ChangeRouteByBothAsync(string? user, string to, string reason)
    {
        using var response = await Gateway.PostRouteAsync(user, to, reason);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST routes ({user ?? "tenant"} → {to}): {(int)response.StatusCode} {text}, expected 202 pending");
        }

        using var json = JsonDocument.Parse(text);
        var id = json.RootElement.GetProperty("request").GetProperty("id").GetString()!;
        var status = await ApproveAsync(id, SecondAdmin);
        if (status != "Applied")
        {
            throw new InvalidOperationException($"route change {id} ({user ?? "tenant"} → {to}) is {status} after the second approval");
        }
    }

    public async ValueTask DisposeAsync()
    {
        SecondAdmin.Dispose();
        await Gateway.DisposeAsync();
        Config.SovereignMail.Dispose();
        Config.PrimaryMail.Dispose();
        _keys.Dispose();
    }
}

/// <summary>A pending route change as the admin API lists it.</summary>
public sealed record StoryApproval(string Id, string? User, string From, string To, string RequestedBy, string Status, string? Evidence)
{
    internal static StoryApproval Parse(JsonElement e) => new(
        e.GetProperty("id").GetString()!,
        e.GetProperty("user").GetString(),
        e.GetProperty("from").GetString()!,
        e.GetProperty("to").GetString()!,
        e.GetProperty("requestedBy").GetString()!,
        e.GetProperty("status").GetString()!,
        e.TryGetProperty("evidence", out var evidence) ? evidence.GetString() : null);

    public override string ToString() => $"{Id}: {User ?? "tenant"} {From}→{To} by {RequestedBy} ({Status}) {Evidence}";
}
