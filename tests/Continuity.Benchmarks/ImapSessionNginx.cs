using System.Globalization;
using Continuity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Continuity.Benchmarks;

/// <summary>
/// The peer: nginx's mail proxy (<c>ngx_mail_module</c>, <c>protocol imap; proxy on;</c>) in front of the same Dovecot,
/// with its <c>auth_http</c> answered by a Kestrel endpoint in this process. nginx is a <see cref="NginxProcess"/>
/// with <c>worker_processes auto</c> (Debian's default). The auth responder compares the client's password with one
/// string in memory (no KDF: nginx leaves the password check to whatever answers auth_http) and answers with the
/// backend and the master login, so nginx logs in to Dovecot as <c>user*gateway</c>, as the gateway does.
/// </summary>
internal sealed class ImapSessionNginx : IAsyncDisposable
{
    private readonly WebApplication _auth;
    private readonly NginxProcess _nginx;

    private ImapSessionNginx(WebApplication auth, NginxProcess nginx) => (_auth, _nginx) = (auth, nginx);

    public int Port => _nginx.Port;

    public static async Task<ImapSessionNginx> StartAsync(int dovecotPort, string user, string password)
    {
        var dir = new TempDirectory("nginx-imap");
        var authPort = FreePort.Next();
        var port = FreePort.Next();
        var auth = await StartAuthAsync(authPort, dovecotPort, user, password).ConfigureAwait(false);
        try
        {
            var nginx = await NginxProcess.StartAsync(dir, port, "auto", 1024, string.Create(CultureInfo.InvariantCulture, $$"""
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
                """), ("/usr/lib/nginx/modules/ngx_mail_module.so", "libnginx-mod-mail")).ConfigureAwait(false);
            return new ImapSessionNginx(auth, nginx);
        }
        catch
        {
            await LoopbackApp.StopAsync(auth).ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _nginx.DisposeAsync().ConfigureAwait(false);
        await LoopbackApp.StopAsync(_auth).ConfigureAwait(false);
    }

    /// <summary>
    /// nginx's auth_http protocol: request headers Auth-Method, Auth-User, Auth-Pass, Auth-Protocol, Client-IP; answer
    /// Auth-Status OK with Auth-Server/Auth-Port, and Auth-User/Auth-Pass to log in to the backend with.
    /// </summary>
    private static async Task<WebApplication> StartAuthAsync(int authPort, int dovecotPort, string user, string password)
    {
        var app = LoopbackApp.CreateBuilder(authPort).Build();
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
        await LoopbackApp.StartAsync(app).ConfigureAwait(false);
        return app;
    }
}
