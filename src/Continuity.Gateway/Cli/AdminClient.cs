using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Continuity.Gateway.Cli;

/// <summary>The CLI's view of the admin API: JSON in, JSON out, problem details turned into a message.</summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    public AdminClient(Uri baseAddress, string? apiKey, TimeSpan timeout)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public Task<AdminResponse> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<AdminResponse> PostAsync(string path, object body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) });

    /// <summary>A raw body (the account import sends the file as it is, so the server can name its lines).</summary>
    public Task<AdminResponse> PostAsync(string path, HttpContent content) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content });

    public Task<AdminResponse> DeleteAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path));

    public void Dispose() => _http.Dispose();

    private async Task<AdminResponse> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            try
            {
                using var response = await _http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                JsonNode? json = null;
                try
                {
                    json = text.Length > 0 ? JsonNode.Parse(text) : null;
                }
                catch (JsonException)
                {
                }

                return new AdminResponse(response.StatusCode, json, text);
            }
            catch (HttpRequestException ex)
            {
                return new AdminResponse(0, null, $"cannot reach the gateway at {_http.BaseAddress}: {ex.Message}");
            }
            catch (TaskCanceledException)
            {
                return new AdminResponse(0, null, $"the gateway at {_http.BaseAddress} did not answer in time");
            }
        }
    }
}

internal sealed record AdminResponse(HttpStatusCode Status, JsonNode? Json, string Text)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>A one-line reason for a failed call: the problem detail, or the raw text.</summary>
    public string Error => Status == 0 ? Text
        : $"{(int)Status} {Json?["title"]?.GetValue<string>() ?? Status.ToString()}: {Json?["detail"]?.GetValue<string>() ?? Text}";
}
