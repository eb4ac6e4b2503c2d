using System.Net.Http.Headers;
using Continuity.Core.Health;

namespace Continuity.Identity.Probes;

/// <summary>
/// One probe of an upstream: <c>GET {authority}/.well-known/openid-configuration</c> (200, JSON, <c>issuer</c> equal to
/// the authority, an absolute <c>jwks_uri</c>), then <c>GET jwks_uri</c> (200, JSON, at least one key). The whole probe
/// is bounded by the timeout on the injected clock; every failure becomes a one-line reason, never an exception.
/// </summary>
internal static class UpstreamProbe
{
    /// <summary>Largest discovery document or JWKS read (Entra's are a few KB).</summary>
    private const int MaxBytes = 256 * 1024;

    public static async Task<ProbeOutcome> ProbeAsync(HttpClient http, string authority, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var stage = "discovery";
        try
        {
            var discoveryUri = new Uri(authority.TrimEnd('/') + "/.well-known/openid-configuration");
            using var discovery = await GetJsonAsync(http, discoveryUri, linked.Token);
            if (discovery is null)
            {
                return new(false, "discovery: not a JSON object");
            }

            var root = discovery.RootElement;
            var issuer = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : null;
            if (issuer is null || !string.Equals(issuer.TrimEnd('/'), authority.TrimEnd('/'), StringComparison.Ordinal))
            {
                return new(false, $"discovery: issuer '{issuer}' is not the configured authority '{authority}'");
            }

            if (!root.TryGetProperty("jwks_uri", out var j) || j.ValueKind != JsonValueKind.String || !Uri.TryCreate(j.GetString(), UriKind.Absolute, out var jwksUri))
            {
                return new(false, "discovery: no absolute jwks_uri");
            }

            stage = "jwks";
            using var jwks = await GetJsonAsync(http, jwksUri, linked.Token);
            var keys = jwks is not null && jwks.RootElement.TryGetProperty("keys", out var k) && k.ValueKind == JsonValueKind.Array ? k.GetArrayLength() : 0;
            return keys > 0 ? new(true, $"discovery and jwks ok, {keys} key(s)") : new ProbeOutcome(false, $"jwks: no keys at {jwksUri}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new(false, $"{stage}: no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return new(false, $"{stage}: {(ex.StatusCode is { } status ? $"HTTP {(int)status}" : ex.HttpRequestError.ToString())}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return new(false, $"{stage}: not valid JSON ({ex.Message.Split(" Path:")[0]})");
        }
        catch (InvalidDataException ex)
        {
            return new(false, $"{stage}: {ex.Message}");
        }
    }

    private static async Task<JsonDocument?> GetJsonAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            throw new InvalidDataException($"answer larger than {MaxBytes / 1024} KB");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new InvalidDataException($"answer larger than {MaxBytes / 1024} KB");
            }

            buffer.Write(chunk, 0, read);
        }

        var document = JsonDocument.Parse(buffer.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return null;
        }

        return document;
    }
}
