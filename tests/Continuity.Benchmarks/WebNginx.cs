using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Continuity.Testing;

namespace Continuity.Benchmarks;

/// <summary>
/// A private nginx (its own prefix, config, pid and logs under a temp directory, <c>daemon off</c>, a child process)
/// on 127.0.0.1: either the static backend every path of the web benchmark ends at, or the peer reverse proxy in
/// front of it with HTTP/1.1 keep-alive to the upstream, as an nginx proxy is configured for throughput.
/// </summary>
internal sealed class WebNginx : IAsyncDisposable
{
    /// <summary>The static page: small, as a webmail's JSON answers and icons are.</summary>
    public const string PagePath = "/index.html";

    private readonly TempDirectory _dir;
    private readonly Process _nginx;

    private WebNginx(TempDirectory dir, Process nginx, int port) => (_dir, _nginx, Port) = (dir, nginx, port);

    public int Port { get; }

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
        var binary = RequiredProgram.Find("nginx", "nginx");
        var port = FreePort.Next();
        File.WriteAllText(dir.Combine("nginx.conf"), string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes {{workers}};
            pid {{dir.Combine("nginx.pid")}};
            error_log {{dir.Combine("error.log")}} warn;
            events { worker_connections 4096; }
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

            """));
        var process = Process.Start(new ProcessStartInfo(binary, $"-p {dir.Path} -c {dir.Combine("nginx.conf")}")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("could not start nginx");
        var nginx = new WebNginx(dir, process, port);
        try
        {
            await WaitListeningAsync(port, process, dir).ConfigureAwait(false);
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_nginx.HasExited)
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync().ConfigureAwait(false);
        }

        _nginx.Dispose();
        _dir.Dispose();
    }

    private static async Task WaitListeningAsync(int port, Process process, TempDirectory dir)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                var log = File.Exists(dir.Combine("error.log")) ? await File.ReadAllTextAsync(dir.Combine("error.log")).ConfigureAwait(false) : "";
                throw new InvalidOperationException($"nginx exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync().ConfigureAwait(false)}{log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(20).ConfigureAwait(false); // another process starting: nothing to wait on but polling
            }
        }
    }
}
