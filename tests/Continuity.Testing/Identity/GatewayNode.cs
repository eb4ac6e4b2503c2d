using Continuity.Core;
using Continuity.Core.Configuration;
using Continuity.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Continuity.Testing.Identity;

/// <summary>
/// One gateway node as the Gateway host will build it: Core, the bound and validated options, and
/// <c>AddContinuityIdentity</c> / <c>MapContinuityIdentity</c>, on Kestrel at 127.0.0.1 and its own port.
/// </summary>
public sealed class GatewayNode : IAsyncDisposable
{
    private GatewayNode(WebApplication app, Uri baseUri)
    {
        App = app;
        BaseUri = baseUri;
    }

    public WebApplication App { get; }

    /// <summary>Where this node listens (its issuer may name another node: the one behind the "load balancer").</summary>
    public Uri BaseUri { get; }

    public IServiceProvider Services => App.Services;

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<GatewayNode> StartAsync(int port, IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("IDENTITY_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }

        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddOptions<ContinuityOptions>().Bind(builder.Configuration.GetSection(ContinuityOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ContinuityOptions>, ContinuityOptionsValidator>();
        builder.Services.AddContinuityCore();
        builder.Services.AddContinuityIdentity(builder.Configuration);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapContinuityIdentity();
        await app.StartAsync();
        return new GatewayNode(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
