using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Continuity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Continuity.Benchmarks;

/// <summary>
/// The peer: nginx's mail proxy (<c>ngx_mail_module</c>, <c>protocol imap; proxy on;</c>) in front of the same Dovecot,
/// with its <c>auth_http</c> answered by a Kestrel endpoint in this process. nginx runs as a child process with a
/// private prefix, config, pid and logs under a temp directory, <c>daemon off</c>, <c>worker_processes auto</c>
/// (Debian's default). The auth responder compares the client's password with one string in memory (no KDF: nginx
/// leaves the password check to whatever answers auth_http) and answers with the backend and the master login, so
/// nginx logs in to Dovecot as <c>user*gateway</c>, as the gateway does.
/// </summary>
internal sealed class ImapSessionNginx : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly WebApplication _auth;
    private readonly Process _nginx;

    private ImapSessionNginx(TempDirectory dir, WebApplication auth, Process nginx, int port)
    {
        (_dir, _auth, _nginx, Port) = (dir, auth, nginx, port);
    }

    public int Port { get; }

    public static async Task<ImapSessionNginx> StartAsync(int dovecotPort, string user, string password)
    {
        var nginxBinary = RequiredProgram.Find("nginx", "nginx libnginx-mod-mail");
        const string Module = "/usr/lib/nginx/modules/ngx_mail_module.so";
        if (!File.Exists(Module))
        {
            throw new InvalidOperationException($"nginx's mail module ({Module}) is not installed. Install it with: apt-get install -y libnginx-mod-mail");
        }

        var dir = new TempDirectory("nginx-imap");
        var authPort = FreePort.Next();
        var port = FreePort.Next();
        var auth = await StartAuthAsync(authPort, dovecotPort, user, password).ConfigureAwait(false);
        File.WriteAllText(dir.Combine("nginx.conf"), string.Create(CultureInfo.InvariantCulture, $$"""
            load_module {{Module}};
            daemon off;
            worker_processes auto;
            pid {{dir.Combine("nginx.pid")}};
            error_log {{dir.Combine("error.log")}} warn;
            events { worker_connections 1024; }
            mail {
              server_name nginx.bench.test;
              auth_http 127.0.0.1:{{authPort}}/auth;
              proxy_pass_error_message on;
              server {
                listen 127.0.0.1:{{port}};
                protocol imap;
                proxy on;
                imap_auth login plain;
              }
            }

            """));
        var process = Process.Start(new ProcessStartInfo(nginxBinary, $"-p {dir.Path} -c {dir.Combine("nginx.conf")}")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("could not start nginx");
        var nginx = new ImapSessionNginx(dir, auth, process, port);
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
        await _auth.StopAsync().ConfigureAwait(false);
        await _auth.DisposeAsync().ConfigureAwait(false);
        _dir.Dispose();
    }

    /// <summary>
    /// nginx's auth_http protocol: request headers Auth-Method, Auth-User, Auth-Pass, Auth-Protocol, Client-IP; answer
    /// Auth-Status OK with Auth-Server/Auth-Port, and Auth-User/Auth-Pass to log in to the backend with.
    /// </summary>
    private static async Task<WebApplication> StartAuthAsync(int authPort, int dovecotPort, string user, string password)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, authPort));
        var app = builder.Build();
        var backendPort = dovecotPort.ToString(CultureInfo.InvariantCulture);
        app.MapGet("/auth", (HttpContext context) =>
        {
            var headers = context.Request.Headers;
            var response = context.Response.Headers;
            if (headers["Auth-User"] == user && headers["Auth-Pass"] == password)
            {
                response["Auth-Status"] = "OK";
                response["Auth-Server"] = "127.0.0.1";
                response["Auth-Port"] = backendPort;
                response["Auth-User"] = user + "*" + DovecotServer.MasterUser;
                response["Auth-Pass"] = DovecotServer.MasterPassword;
            }
            else
            {
                response["Auth-Status"] = "Invalid login or password";
                response["Auth-Wait"] = "3";
            }

            return Results.Ok();
        });
        await app.StartAsync().ConfigureAwait(false);
        return app;
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
