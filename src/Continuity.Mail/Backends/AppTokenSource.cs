using System.Net.Http.Headers;
using System.Text.Json;

namespace Continuity.Mail.Backends;

/// <summary>
/// App tokens of providers whose mailboxes take no passwords (<see cref="MailLoginMode.OAuth2ClientCredentials"/>): the
/// OAuth2 client-credentials grant (RFC 6749 §4.4, client authenticated with HTTP Basic), one token per tenant and
/// provider, cached until shortly before it expires (a fifth of its lifetime, at most one minute) and fetched again
/// after <see cref="Invalidate"/> (the caller's login was refused). Tokens and secrets are never logged.
/// </summary>
internal sealed partial class AppTokenSource(TimeProvider time, ILogger<AppTokenSource> logger) : IDisposable
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxMargin = TimeSpan.FromMinutes(1);
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<(string Tenant, string Provider), Cached> _tokens = new();
    private readonly ConcurrentDictionary<(string Tenant, string Provider), SemaphoreSlim> _gates = new();

    public async Task<string> GetAsync(string tenant, string provider, MailOAuth2Options options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = (tenant, provider.ToLowerInvariant());
        if (_tokens.TryGetValue(key, out var cached) && time.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Token;
        }

        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tokens.TryGetValue(key, out cached) && time.GetUtcNow() < cached.RefreshAt)
            {
                return cached.Token; // another session fetched it while this one waited
            }

            var fresh = await RequestAsync(tenant, provider, options, cancellationToken).ConfigureAwait(false);
            _tokens[key] = fresh;
            return fresh.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> (a backend refused it), so the next <see cref="GetAsync"/> fetches a new one.</summary>
    public void Invalidate(string tenant, string provider, string token)
    {
        var key = (tenant, provider.ToLowerInvariant());
        if (_tokens.TryGetValue(key, out var cached) && string.Equals(cached.Token, token, StringComparison.Ordinal))
        {
            _tokens.TryRemove(KeyValuePair.Create(key, cached));
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }

    private async Task<Cached> RequestAsync(string tenant, string provider, MailOAuth2Options options, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(options.TokenEndpoint ?? throw new AppTokenException($"provider {tenant}/{provider} has no Mail:Login:OAuth2:TokenEndpoint"));
        var shown = endpoint.GetLeftPart(UriPartial.Path); // never the query or user info
        var secret = await SecretAsync(options, cancellationToken).ConfigureAwait(false);
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (!string.IsNullOrWhiteSpace(options.Scope))
        {
            form.Add(new("scope", options.Scope));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        var basic = $"{Uri.EscapeDataString(options.ClientId ?? "")}:{Uri.EscapeDataString(secret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(basic)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var started = time.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new AppTokenException($"token endpoint {shown} of provider {tenant}/{provider} is unreachable ({e.Message}); tried again at the next login", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var json = Parse(body);
            if (!response.IsSuccessStatusCode)
            {
                var error = Text(json, "error") ?? "no OAuth2 error code";
                var description = Text(json, "error_description");
                throw new AppTokenException($"token endpoint {shown} of provider {tenant}/{provider} refused the client credentials grant: HTTP {(int)response.StatusCode} {error}{(description is null ? "" : $" ({description})")}");
            }

            var token = Text(json, "access_token");
            if (string.IsNullOrEmpty(token) || token.AsSpan().IndexOfAny("\x01\r\n") >= 0)
            {
                throw new AppTokenException($"token endpoint {shown} of provider {tenant}/{provider} answered without a usable access_token");
            }

            var lifetime = json is { } doc && doc.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
            var margin = TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 5, MaxMargin.Ticks));
            Log.Fetched(logger, tenant, provider, (int)lifetime.TotalSeconds);
            return new Cached(token, started + lifetime - margin);
        }
    }

    private static async Task<string> SecretAsync(MailOAuth2Options options, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.ClientSecret))
        {
            return options.ClientSecret;
        }

        try
        {
            return (await File.ReadAllTextAsync(options.ClientSecretFile ?? "", cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new AppTokenException($"cannot read Mail:Login:OAuth2:ClientSecretFile ({e.GetType().Name})", e);
        }
    }

    private static JsonDocument? Parse(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonDocument? json, string name) =>
        json is not null && json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    private sealed record Cached(string Token, DateTimeOffset RefreshAt);
}

/// <summary>No app token for a provider: the token endpoint refused the client or could not be reached. Never holds a secret.</summary>
public sealed class AppTokenException : Exception
{
    public AppTokenException()
    {
    }

    public AppTokenException(string message)
        : base(message)
    {
    }

    public AppTokenException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
