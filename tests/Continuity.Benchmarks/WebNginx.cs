using System.Globalization;
using Continuity.Testing;

namespace Continuity.Benchmarks;

/// <summary>
/// A private nginx (<see cref="NginxProcess"/>) on 127.0.0.1: either the static backend every path of the web benchmark ends at, or the peer reverse proxy in
/// front of it with HTTP/1.1 keep-alive to the upstream, as an nginx proxy is configured for throughput.
/// </summary>
internal sealed class WebNginx : IAsyncDisposable
{
    /// <summary>The static page: small, as a webmail's JSON answers and icons are.</summary>
    public const string PagePath = "/index.html";

    private readonly NginxProcess _nginx;

    private WebNginx(NginxProcess nginx) => _nginx = nginx;

    public int Port => _nginx.Port;

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>nginx serving <see cref="PagePath"/> (<paramref name="bytes"/> bytes) from a directory, access log off.</summary>
    public static Task<WebNginx> StartBackendAsync(int bytes, int workers)
    {
        var dir = new TempDirectory("nginx-web-backend");
        Directory.CreateDirectory(dir.Combine("www"));
        File.WriteAllText(dir.Combine("www") + PagePath, new string('x', bytes));
        return StartAsync(dir, workers, $$"""
            server {
              listen 127.0.0.1:{{{"PORT"}}};
              root {{dir.Combine("www")}};
              location / { try_files $uri =404; }
            }
            """);
    }

    /// <summary>
    /// nginx as a reverse proxy to <paramref name="backendPort"/>: <c>proxy_http_version 1.1</c>, <c>Connection ""</c>
    /// and an upstream <c>keepalive</c> pool, so connections to the backend are reused as the gateway's are.
    /// </summary>
    public static Task<WebNginx> StartProxyAsync(int backendPort, int workers)
    {
        var dir = new TempDirectory("nginx-web-proxy");
        return StartAsync(dir, workers, $$"""
            upstream backend {
              server 127.0.0.1:{{backendPort}};
              keepalive 128;
            }
            server {
              listen 127.0.0.1:{{{"PORT"}}};
              location / {
                proxy_pass http://backend;
                proxy_http_version 1.1;
                proxy_set_header Connection "";
                proxy_set_header Host $host;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_set_header X-Forwarded-Proto $scheme;
              }
            }
            """);
    }

    private static async Task<WebNginx> StartAsync(TempDirectory dir, int workers, string server)
    {
        var port = FreePort.Next();
        var nginx = await NginxProcess.StartAsync(dir, port, workers.ToString(CultureInfo.InvariantCulture), 4096, string.Create(CultureInfo.InvariantCulture, $$"""
            http {
              access_log off;
              sendfile on;
              tcp_nodelay on;
              keepalive_requests 100000;
              client_body_temp_path {{dir.Path}};
              proxy_temp_path {{dir.Path}};
              fastcgi_temp_path {{dir.Path}};
              uwsgi_temp_path {{dir.Path}};
              scgi_temp_path {{dir.Path}};
              {{server.Replace("{PORT}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)}}
            }
            """)).ConfigureAwait(false);
        return new WebNginx(nginx);
    }

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();
}
