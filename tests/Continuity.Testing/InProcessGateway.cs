using System.Net;
using System.Text.Json.Nodes;
using Continuity.Core;
using Continuity.Core.Configuration;
using Continuity.Gateway.Hosting;
using Continuity.Identity;
using Continuity.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Continuity.Testing;

/// <summary>
/// The gateway in this process on Kestrel at 127.0.0.1 (a fixed port or a free one), against a real store; the one
/// in-process builder (<see cref="GatewayProcess"/> runs the built executable as a child process instead).
/// <see cref="StartAsync(JsonObject, int?)"/> builds the whole host as <c>continuity serve</c> does
/// (<c>GatewayHost</c>, from a configuration file); <see cref="StartPartsAsync"/> hosts only some parts, registered and
/// mapped as <c>GatewayHost</c> does, from in-memory settings, for a part's own test project. Either way the host's
/// warnings and errors are kept in <see cref="Problems"/> for failure messages, and disposing stops the host and deletes
/// its directory.
/// </summary>
public sealed class InProcessGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _dir;

    private InProcessGateway(WebApplication app, TempDirectory? dir, int port, string? configFile, RecentProblems problems)
    {
        _app = app;
        _dir = dir;
        Port = port;
        ConfigFile = configFile;
        Problems = problems;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>The configuration file the whole gateway runs from; null for <see cref="StartPartsAsync"/>.</summary>
    public string? ConfigFile { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The host's configuration (for the part hosts: in memory, so a test may change a value and reload it).</summary>
    public IConfigurationRoot Configuration => (IConfigurationRoot)_app.Configuration;

    /// <summary>The gateway's last warnings and errors, for failure messages.</summary>
    public RecentProblems Problems { get; }

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// The whole gateway (every part, the admin API, health, the console) as <c>continuity serve</c> builds it, from
    /// <paramref name="configuration"/> (the file's root object, <c>{"Continuity": {…}}</c>) written to a file of its own,
    /// on a data directory of its own unless the configuration names one.
    /// </summary>
    /// <param name="port">The HTTP port when the caller must know it before the start (an issuer in the configuration); null: a free one.</param>
    public static async Task<InProcessGateway> StartAsync(JsonObject configuration, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var dir = new TempDirectory("gateway");
        try
        {
            var at = port ?? FreePort.Next();
            var configFile = dir.Combine("continuity.json");
            await File.WriteAllTextAsync(configFile, configuration.ToJsonString());
            var dataDir = configuration["Continuity"]?["DataDir"] is null ? dir.Combine("data") : null;
            var app = GatewayHost.Build(["--urls", $"http://127.0.0.1:{at}"], configFile, dataDir);
            var problems = new RecentProblems();
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(problems);
            return await StartAsync(app, dir, at, configFile, problems);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Core, the bound and validated <see cref="ContinuityOptions"/> and <paramref name="parts"/>, registered and mapped as
    /// <c>GatewayHost</c> does, from <paramref name="settings"/> only (no appsettings.json, no environment), logging
    /// nothing but <see cref="Problems"/> (and the console at Debug when <see cref="InProcessGatewayOptions.ConsoleLogVariable"/> is 1).
    /// </summary>
    public static async Task<InProcessGateway> StartPartsAsync(
        GatewayParts parts, IEnumerable<KeyValuePair<string, string?>> settings, InProcessGatewayOptions? options = null)
    {
        options ??= new InProcessGatewayOptions();
        var port = options.Port ?? FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        var problems = new RecentProblems();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(problems);
        if (options.ConsoleLogVariable is { } variable && Environment.GetEnvironmentVariable(variable) == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }

        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            options.Kestrel?.Invoke(k);
        });
        if (options.Time is { } time)
        {
            builder.Services.AddSingleton(time);
        }

        // As GatewayHost.AddContinuityGateway registers them.
        builder.Services.AddOptions<ContinuityOptions>().Bind(builder.Configuration.GetSection(ContinuityOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ContinuityOptions>, ContinuityOptionsValidator>();
        builder.Services.AddContinuityCore();
        builder.Services.AddContinuityIdentity(builder.Configuration);
        if (parts == GatewayParts.IdentityAndWeb)
        {
            builder.Services.AddContinuityWeb(builder.Configuration);
        }

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapContinuityIdentity();
        if (parts == GatewayParts.IdentityAndWeb)
        {
            app.MapContinuityWeb();
        }

        return await StartAsync(app, null, port, null, problems);
    }

    /// <summary>An HTTP client for this gateway, with <paramref name="bearer"/> as its <c>Authorization: Bearer</c> (none when null).</summary>
    public HttpClient Client(string? bearer)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dir?.Dispose();
    }

    private static async Task<InProcessGateway> StartAsync(WebApplication app, TempDirectory? dir, int port, string? configFile, RecentProblems problems)
    {
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new InProcessGateway(app, dir, port, configFile, problems);
    }
}
