using System.Net;
using System.Net.WebSockets;
using Continuity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Continuity.Web.Tests.Support;

/// <summary>
/// A real Kestrel backend on 127.0.0.1 playing one provider's webmail: it answers who it is and what
/// it received, echoes WebSockets, streams uploads and downloads without keeping them, and can hang.
/// </summary>
internal sealed class Backend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private Backend(string name, WebApplication app, int port)
    {
        Name = name;
        _app = app;
        Url = $"http://127.0.0.1:{port}/";
    }

    public string Name { get; }

    public string Url { get; }

    /// <summary>Headers of the last request that reached <c>/echo</c>.</summary>
    public IHeaderDictionary? LastHeaders { get; private set; }

    public static async Task<Backend> StartAsync(string name)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var backend = new Backend(name, app, port);
        app.UseWebSockets();
        app.MapGet("/health", () => "ok");
        app.MapGet("/hang", (HttpContext http) => Task.Delay(Timeout.Infinite, http.RequestAborted));
        app.MapPost("/upload", async (HttpContext http) =>
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                total += read;
            }

            return total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        app.MapGet("/download/{size:long}", async (HttpContext http, long size) =>
        {
            http.Response.ContentLength = size;
            var buffer = new byte[64 * 1024];
            for (long sent = 0; sent < size; sent += buffer.Length)
            {
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - sent)), http.RequestAborted);
            }
        });
        app.Map("/ws", async (HttpContext http) =>
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, http.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, http.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, http.RequestAborted);
            }
        });
        app.Map("/{**path}", (HttpContext http) =>
        {
            backend.LastHeaders = new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
            return $"{name} {http.Request.Host.Host}";
        });
        await app.StartAsync();
        return backend;
    }

    /// <summary>Stops listening, as a crashed backend would.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
