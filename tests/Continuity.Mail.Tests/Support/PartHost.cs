using Continuity.Core.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Continuity.Mail.Tests.Support;

/// <summary>
/// What <see cref="MailHost"/> and <see cref="Imap.AccessHost"/> share: a part's services built as the gateway builds
/// them (validated on build), its hosted services started in order and stopped in reverse, and routes set directly on
/// the route table.
/// </summary>
internal sealed class PartHost : IAsyncDisposable
{
    private readonly List<IHostedService> _started = [];

    private PartHost(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    /// <summary>
    /// <paramref name="defaults"/> with <paramref name="settings"/> added or replacing them, each key under <c>Continuity:</c>.
    /// </summary>
    public static IConfigurationRoot Configuration(Dictionary<string, string?> defaults, IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
        {
            defaults[key] = value;
        }

        return new ConfigurationBuilder()
            .AddInMemoryCollection(defaults.Select(kv => KeyValuePair.Create("Continuity:" + kv.Key, kv.Value)))
            .Build();
    }

    /// <summary>
    /// Builds <paramref name="services"/>, lets <paramref name="beforeStart"/> read what must fail early (options
    /// validation) or set up routes, then starts every hosted service.
    /// </summary>
    public static async Task<PartHost> StartAsync(IServiceCollection services, Action<ServiceProvider> beforeStart)
    {
        var host = new PartHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        beforeStart(host.Services);
        foreach (var hosted in host.Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            host._started.Add(hosted);
        }

        return host;
    }

    /// <summary>Tenant <c>demo</c>'s default route <c>primary</c> with per-user overrides (what a route change does on every node).</summary>
    public static void Route(RouteTable routes, long version, (string User, string Provider)[] overrides) =>
        routes.TrySwap(new RouteSnapshot(version, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes>
        {
            ["demo"] = new TenantRoutes("primary", overrides.ToDictionary(o => o.User, o => o.Provider)),
        }));

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in Enumerable.Reverse(_started))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await Services.DisposeAsync();
    }
}
