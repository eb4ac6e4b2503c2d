using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Continuity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Continuity.Mail.Tests.Support;

/// <summary>
/// A hosted provider's OAuth2 server, as far as mailbox sync meets it (Kestrel on 127.0.0.1): <c>POST /token</c>
/// answers the client-credentials grant of one registered app (client authenticated with HTTP Basic) with an app-only
/// token for a whole domain; <c>POST /introspect</c> (RFC 7662, what Dovecot's oauth2 passdb calls) says whether a
/// token is active and names the domain as <c>tenant = app@domain</c>, which Dovecot compares by domain
/// (<c>username_attribute = tenant</c>, <c>username_format = %Ld</c>). Created stopped, so a test can have it down first.
/// </summary>
public sealed class StandInTokenServer : IAsyncDisposable
{
    public const string ClientId = "continuity-sync";
    public const string ClientSecret = "app-secret-7f3a";
    private readonly ConcurrentDictionary<string, byte> _active = new(StringComparer.Ordinal);
    private readonly string _domain;
    private WebApplication? _app;
    private int _issued;
    private int _introspected;

    public StandInTokenServer(string domain)
    {
        _domain = domain;
        Port = FreePort.Next();
    }

    public int Port { get; }

    public string TokenEndpoint => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/token";

    public string IntrospectionUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/introspect";

    /// <summary>Tokens handed out by the client-credentials grant.</summary>
    public int Issued => _issued;

    /// <summary>Introspection requests (Dovecot checks the token at each login).</summary>
    public int Introspected => _introspected;

    /// <summary>Lines for the Dovecot that should accept these tokens (its oauth2 passdb args go to <paramref name="argsFile"/>).</summary>
    public string DovecotSettings(string argsFile)
    {
        File.WriteAllText(argsFile, $"""
            introspection_url = {IntrospectionUrl}
            introspection_mode = post
            force_introspection = yes
            active_attribute = active
            active_value = true
            username_attribute = tenant
            username_format = %Ld
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(argsFile, (UnixFileMode)0x1A4); // 0644: the auth process reads it as dovecot
        }
        return $$"""
            auth_mechanisms = plain login xoauth2
            passdb {
              driver = oauth2
              mechanisms = xoauth2
              args = {{argsFile}}
            }
            """;
    }

    public async Task StartAsync()
    {
        var app = LoopbackApp.CreateBuilder(Port).Build();
        app.MapPost("/token", Token);
        app.MapPost("/introspect", Introspect);
        await LoopbackApp.StartAsync(app);
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await LoopbackApp.StopAsync(app);
        }
    }

    /// <summary>Every token handed out so far stops being active (revoked, or the provider restarted).</summary>
    public void RevokeAll() => _active.Clear();

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task<IResult> Token(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var (id, secret) = Basic(request.Headers.Authorization.ToString());
        if (!string.Equals(id, ClientId, StringComparison.Ordinal) || !string.Equals(secret, ClientSecret, StringComparison.Ordinal))
        {
            return Results.Json(new { error = "invalid_client", error_description = "client authentication failed" }, statusCode: 401);
        }

        if (form["grant_type"] != "client_credentials")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _active[token] = 0;
        Interlocked.Increment(ref _issued);
        return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 3600 });
    }

    private async Task<IResult> Introspect(HttpRequest request)
    {
        Interlocked.Increment(ref _introspected);
        var form = await request.ReadFormAsync();
        var token = form["token"].ToString();
        return _active.ContainsKey(token)
            ? Results.Json(new { active = true, tenant = $"app@{_domain}", client_id = ClientId })
            : Results.Json(new { active = false });
    }

    private static (string? Id, string? Secret) Basic(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return (null, null);
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
        return pair.Length == 2 ? (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1])) : (null, null);
    }
}
