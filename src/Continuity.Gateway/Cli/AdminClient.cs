using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Continuity.Gateway.Cli;

/// <summary>
/// The CLI's view of the admin API: bodies and answers through the contracts the endpoints use
/// (<see cref="AdminJsonContext"/>), problem details turned into a one-line reason.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationToken _cancellation;

    /// <summary>Every call stops waiting when <paramref name="cancellationToken"/> is cancelled (it throws <see cref="OperationCanceledException"/>).</summary>
    public AdminClient(Uri baseAddress, string? apiKey, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        _cancellation = cancellationToken;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public Task<AdminResponse<T>> GetAsync<T>(string path, JsonTypeInfo<T> answer) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), answer);

    public Task<AdminResponse<TAnswer>> PostAsync<TBody, TAnswer>(string path, TBody body, JsonTypeInfo<TBody> contract, JsonTypeInfo<TAnswer> answer) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, contract) }, answer);

    /// <summary>A POST that carries nothing (retry now, sync now): an empty JSON object.</summary>
    public Task<AdminResponse<T>> PostAsync<T>(string path, JsonTypeInfo<T> answer) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") }, answer);

    /// <summary>A raw body (the account import sends the file as it is, so the server can name its lines).</summary>
    public Task<AdminResponse<T>> PostAsync<T>(string path, HttpContent content, JsonTypeInfo<T> answer) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, answer);

    public Task<AdminResponse<T>> DeleteAsync<T>(string path, JsonTypeInfo<T> answer) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), answer);

    public void Dispose() => _http.Dispose();

    private async Task<AdminResponse<T>> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> answer)
    {
        using (request)
        {
            try
            {
                using var response = await _http.SendAsync(request, _cancellation);
                var text = await response.Content.ReadAsStringAsync(_cancellation);
                if (!response.IsSuccessStatusCode)
                {
                    return new AdminResponse<T>(response.StatusCode, default, null, text, Read(text, AdminJsonContext.Default.AdminProblem));
                }

                try
                {
                    var value = JsonSerializer.Deserialize(text, answer);
                    return value is null
                        ? new AdminResponse<T>(0, default, null, $"the gateway at {_http.BaseAddress} answered {(int)response.StatusCode} without a body", null)
                        : new AdminResponse<T>(response.StatusCode, value, JsonNode.Parse(text), text, null);
                }
                catch (JsonException ex)
                {
                    return new AdminResponse<T>(0, default, null, $"the gateway at {_http.BaseAddress} answered {(int)response.StatusCode} with a body this CLI does not understand (a different version?): {ex.Message}", null);
                }
            }
            catch (HttpRequestException ex)
            {
                return new AdminResponse<T>(0, default, null, $"cannot reach the gateway at {_http.BaseAddress}: {ex.Message}", null);
            }
            catch (TaskCanceledException) when (!_cancellation.IsCancellationRequested)
            {
                return new AdminResponse<T>(0, default, null, $"the gateway at {_http.BaseAddress} did not answer in time", null);
            }
        }
    }

    private static TValue? Read<TValue>(string text, JsonTypeInfo<TValue> contract)
        where TValue : class
    {
        try
        {
            return text.Length > 0 ? JsonSerializer.Deserialize(text, contract) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// One call's outcome: <see cref="Value"/> (the typed answer) when <see cref="Ok"/>, with <see cref="Json"/> kept for
/// <c>--json</c>; else <see cref="Error"/>. Status 0 means no usable answer (unreachable, timed out, unreadable body).
/// </summary>
internal sealed record AdminResponse<T>(HttpStatusCode Status, T? Value, JsonNode? Json, string Text, AdminProblem? Problem)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>A one-line reason for a failed call: the problem detail, or the raw text.</summary>
    public string Error => Status == 0 ? Text
        : $"{(int)Status} {Problem?.Title ?? Status.ToString()}: {Problem?.Detail ?? Text}";
}
