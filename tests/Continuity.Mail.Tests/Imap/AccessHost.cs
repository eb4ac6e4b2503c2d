using System.Globalization;
using Continuity.Core.Audit;
using Continuity.Core.Configuration;
using Continuity.Core.Credentials;
using Continuity.Core.Listeners;
using Continuity.Core.Routing;
using Continuity.Core.Signals;
using Continuity.Core.State;
using Continuity.Core.Tenants;
using Continuity.Core.Users;
using Continuity.Mail.Imap;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Tests.Imap;

/// <summary>
/// The mail access part as the gateway hosts it (<c>AddContinuityMailAccess</c>) on free loopback ports, against a
/// real redis-server under a key prefix of its own. Tenant <c>demo</c> (demo.test): providers <c>primary</c> and
/// <c>sovereign</c> (backends as given), users alice, bob and carol. Routes are set directly on the route table.
/// </summary>
public sealed class AccessHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _started = [];
    private readonly TempDirectory _dir;

    private AccessHost(ServiceProvider services, TempDirectory dir, int imap, int imaps, int submission, int submissions)
    {
        _services = services;
        _dir = dir;
        (ImapPort, ImapsPort, SubmissionPort, SubmissionsPort) = (imap, imaps, submission, submissions);
    }

    public int ImapPort { get; }

    public int ImapsPort { get; }

    public int SubmissionPort { get; }

    public int SubmissionsPort { get; }

    public RouteTable Routes => _services.GetRequiredService<RouteTable>();

    public RecordingCutoffSignals Signals => (RecordingCutoffSignals)_services.GetRequiredService<ICutoffSignals>();

    public AppPasswordStore Passwords => _services.GetRequiredService<AppPasswordStore>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <param name="redis">Connection string of the test's redis-server.</param>
    /// <param name="settings">Extra keys under <c>Continuity:</c> (without the prefix), e.g. provider backends.</param>
    public static async Task<AccessHost> StartAsync(string redis, IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var dir = new TempDirectory("access");
        var ports = (Imap: FreePort.Next(), Imaps: FreePort.Next(), Submission: FreePort.Next(), Submissions: FreePort.Next());
        string Port(int p) => p.ToString(CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["DataDir"] = dir.Path,
            ["State:Redis"] = redis,
            ["State:KeyPrefix"] = "{a" + Guid.NewGuid().ToString("N")[..12] + "}:",
            ["Listeners:Imap"] = Port(ports.Imap),
            ["Listeners:Imaps"] = Port(ports.Imaps),
            ["Listeners:Submission"] = Port(ports.Submission),
            ["Mail:Access:SubmissionsPort"] = Port(ports.Submissions),
            ["Mail:Access:Tls:CertificatePath"] = TestCertificate.WritePfx(dir.Path),
            ["Credentials:AppPasswords:Iterations"] = "1000",
            ["Tenants:demo:Domains:0"] = "demo.test",
            ["Tenants:demo:Hosts:Mail"] = "mail.demo.test",
            ["Tenants:demo:DefaultProvider"] = "primary",
            ["Tenants:demo:SovereignProvider"] = "sovereign",
            ["Tenants:demo:Providers:primary:DisplayName"] = "Primary",
            ["Tenants:demo:Providers:sovereign:DisplayName"] = "Sovereign",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(kv => KeyValuePair.Create("Continuity:" + kv.Key, kv.Value)))
            .Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddSingleton(TimeProvider.System);
        collection.AddOptions<ContinuityOptions>().Bind(configuration.GetSection(ContinuityOptions.SectionName));
        collection.AddSingleton<StateStore>();
        collection.AddSingleton<RouteTable>();
        collection.AddSingleton<TenantDirectory>();
        collection.AddSingleton<ListenerRegistry>();
        collection.AddSingleton(new AuditKey(new byte[32])); // a test key: no file
        collection.AddSingleton<AuditLog>();
        collection.AddSingleton<UserDirectory>();
        collection.AddSingleton<ICutoffSignals, RecordingCutoffSignals>();
        services?.Invoke(collection);
        collection.AddContinuityMailAccess();
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<Proxy.MailAccessOptions>>().Value; // validation errors surface here
        var host = new AccessHost(provider, dir, ports.Imap, ports.Imaps, ports.Submission, ports.Submissions);
        host.Route(1);
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            host._started.Add(hosted);
        }

        return host;
    }

    /// <summary>The backend settings of both providers for two Dovecots (master user <c>gateway</c>).</summary>
    public static Dictionary<string, string?> Backends(DovecotServer primary, DovecotServer sovereign, string? primarySubmission = null, string? sovereignSubmission = null)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (name, server, submission) in new[] { ("primary", primary, primarySubmission), ("sovereign", sovereign, sovereignSubmission) })
        {
            settings[$"Tenants:demo:Providers:{name}:Mail:Imap"] = server.ImapUri;
            settings[$"Tenants:demo:Providers:{name}:Mail:Submission"] = submission;
            settings[$"Tenants:demo:Providers:{name}:Mail:Login:Master"] = DovecotServer.MasterUser;
            settings[$"Tenants:demo:Providers:{name}:Mail:Login:MasterPassword"] = DovecotServer.MasterPassword;
        }

        return settings;
    }

    /// <summary>Sets per-user overrides on top of the default route <c>primary</c> (what a route change does on every node).</summary>
    public void Route(long version, params (string User, string Provider)[] overrides) =>
        Routes.TrySwap(new RouteSnapshot(version, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes>
        {
            ["demo"] = new TenantRoutes("primary", overrides.ToDictionary(o => o.User, o => o.Provider)),
        }));

    public async Task<string> NewPasswordAsync(string user) => (await Passwords.CreateAsync(user, "test")).Secret;

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in Enumerable.Reverse(_started))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        _dir.Dispose();
    }
}
