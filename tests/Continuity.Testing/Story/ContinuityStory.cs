using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Continuity.Testing.Story;

/// <summary>
/// Everything the continuity story runs against, each part a real program on its own 127.0.0.1 port: the primary
/// upstream (oidc-provider shaped like Entra ID), the sovereign upstream (oidc-provider shaped like Keycloak), the
/// mail and gateway half (<see cref="StoryWorld"/>: two Dovecots and the built <c>continuity</c> executable), and a
/// relying party the gateway did not write (ASP.NET Core's OpenIdConnect handler). Shared by the end-to-end test and
/// the <c>drill</c> benchmark. Disposing stops all of it.
/// </summary>
public sealed class ContinuityStory : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ContinuityStory(OidcUpstream primary, OidcUpstream sovereign, StoryWorld world, RelyingParty rp)
    {
        Primary = primary;
        Sovereign = sovereign;
        World = world;
        Rp = rp;
    }

    /// <summary>The Entra-shaped primary upstream.</summary>
    public OidcUpstream Primary { get; }

    /// <summary>The Keycloak-shaped sovereign upstream.</summary>
    public OidcUpstream Sovereign { get; }

    public StoryWorld World { get; }

    public GatewayProcess Gateway => World.Gateway;

    public RelyingParty Rp { get; }

    /// <summary>The gateway's issuer, as relying parties see it.</summary>
    public Uri Issuer => World.Config.Issuer;

    /// <summary>Upstream subjects: neither may ever reach a relying party.</summary>
    public static string PrimarySubject(string user) => "entra-pairwise-" + user.Split('@')[0];

    public static string SovereignSubject(string user) => "kc-" + user.Split('@')[0] + "-5e1d";

    /// <summary>Starts the story's world; <paramref name="configure"/> changes the gateway's options first (a drill's test users).</summary>
    public static async Task<ContinuityStory> StartAsync(Action<Continuity.Core.Configuration.ContinuityOptions>? configure = null)
    {
        var ports = StoryWorld.PickPorts();
        var issuer = new Uri($"http://127.0.0.1:{ports.Gateway}/");
        var users = StoryWorld.People;
        OidcUpstream? primary = null;
        OidcUpstream? sovereign = null;
        StoryWorld? world = null;
        try
        {
            primary = await OidcUpstream.StartAsync(
                OidcUpstreamProfile.Entra,
                [new OidcUpstreamClient(StoryConfig.UpstreamClientId, StoryConfig.UpstreamClientSecret, [new Uri(issuer, $"signin/{GatewayConfig.Tenant}/primary").AbsoluteUri])],
                users.Select(u => new OidcUpstreamUser(u, PrimarySubject(u), Name(u))),
                StoryConfig.EntraTenantId);
            sovereign = await OidcUpstream.StartAsync(
                OidcUpstreamProfile.Keycloak,
                [new OidcUpstreamClient(StoryConfig.UpstreamClientId, StoryConfig.UpstreamClientSecret, [new Uri(issuer, $"signin/{GatewayConfig.Tenant}/sovereign").AbsoluteUri])],
                users.Select(u => new OidcUpstreamUser(u, SovereignSubject(u), Name(u))));
            world = await StoryWorld.StartAsync(ports, primary.Issuer, sovereign.Issuer, configure);
            var rp = await RelyingParty.StartAsync(ports.RelyingParty, issuer, ["offline_access"]);
            return new ContinuityStory(primary, sovereign, world, rp);
        }
        catch
        {
            if (world is not null)
            {
                await world.DisposeAsync();
            }

            if (sovereign is not null)
            {
                await sovereign.DisposeAsync();
            }

            if (primary is not null)
            {
                await primary.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// A user opens the relying party in a fresh browser and signs in (the gateway's login page with the address, and
    /// the provider button when <paramref name="provider"/> is set). Returns where the browser ended and how long it took.
    /// </summary>
    public async Task<StorySignIn> AttemptSignInAsync(string user, string? provider = null)
    {
        using var browser = new Browser();
        var clock = Stopwatch.StartNew();
        var page = await browser.NavigateAsync(new Uri(Rp.BaseUri, "me"), user, provider);
        var elapsed = clock.Elapsed;
        RelyingPartyView? view = null;
        if (page.Status == HttpStatusCode.OK && page.Url.AbsolutePath == "/me")
        {
            view = JsonSerializer.Deserialize<RelyingPartyView>(page.Body, Json);
        }

        return new StorySignIn(user, page, view, elapsed, [.. browser.Visited]);
    }

    /// <summary>A sign-in that must reach the relying party; fails with where the browser stopped.</summary>
    public async Task<RelyingPartyView> SignInAsync(string user, string? provider = null)
    {
        var attempt = await AttemptSignInAsync(user, provider);
        return attempt.View ?? throw new InvalidOperationException($"{user} did not reach the relying party: {attempt.Describe()}");
    }

    /// <summary><c>POST /connect/token</c> with the relying party's refresh token (and its client secret).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = RelyingParty.ClientId,
            ["client_secret"] = RelyingParty.ClientSecret,
        });
        using var response = await Gateway.Anonymous.PostAsync("connect/token", form);
        return (response.StatusCode, await ParseAsync(response));
    }

    /// <summary><c>GET /connect/userinfo</c> with an access token.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> UserInfoAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await Gateway.Anonymous.SendAsync(request);
        return (response.StatusCode, await ParseAsync(response));
    }

    /// <summary>Everything every part wrote, for a failure message.</summary>
    public string Describe() => $"{Gateway.Describe()}\n{Primary.Describe()}\n{Sovereign.Describe()}";

    public async ValueTask DisposeAsync()
    {
        await Rp.DisposeAsync();
        await World.DisposeAsync();
        await Sovereign.DisposeAsync();
        await Primary.DisposeAsync();
    }

    private static string Name(string user) => System.Globalization.CultureInfo.InvariantCulture.TextInfo.ToTitleCase(user.Split('@')[0]) + " of the Court";

    private static async Task<JsonElement> ParseAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            return json.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var json = JsonDocument.Parse(JsonSerializer.Serialize(new { raw = text }));
            return json.RootElement.Clone();
        }
    }
}

/// <summary>One sign-in attempt: where the browser ended, what the relying party saw (null when it did not get there), how long it took.</summary>
public sealed record StorySignIn(string User, BrowserPage Page, RelyingPartyView? View, TimeSpan Elapsed, IReadOnlyList<Uri> Visited)
{
    public bool Succeeded => View is not null;

    public string Describe() =>
        $"{(int)Page.Status} at {Page.Url} after {Elapsed.TotalSeconds:0.00} s via {string.Join(" → ", Visited.Select(v => v.GetLeftPart(UriPartial.Path)))}; body: {Page.Body[..Math.Min(Page.Body.Length, 800)]}";
}
