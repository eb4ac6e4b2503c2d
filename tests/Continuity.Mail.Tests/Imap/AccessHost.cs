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
    private readonly PartHost _host;
    private readonly TempDirectory _dir;

    private AccessHost(PartHost host, TempDirectory dir, int imap, int imaps, int submission, int submissions)
    {
        _host = host;
        _dir = dir;
        (ImapPort, ImapsPort, SubmissionPort, SubmissionsPort) = (imap, imaps, submission, submissions);
    }

    private ServiceProvider Services => _host.Services;

    public int ImapPort { get; }

    public int ImapsPort { get; }

    public int SubmissionPort { get; }

    public int SubmissionsPort { get; }

    public RouteTable Routes => Services.GetRequiredService<RouteTable>();

    public RecordingCutoffSignals Signals => (RecordingCutoffSignals)Services.GetRequiredService<ICutoffSignals>();

    public AppPasswordStore Passwords => Services.GetRequiredService<AppPasswordStore>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

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
        var configuration = PartHost.Configuration(values, settings);
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
        var host = await PartHost.StartAsync(collection, provider =>
        {
            _ = provider.GetRequiredService<IOptions<Proxy.MailAccessOptions>>().Value; // validation errors surface here
            PartHost.Route(provider.GetRequiredService<RouteTable>(), 1, []);
        });
        return new AccessHost(host, dir, ports.Imap, ports.Imaps, ports.Submission, ports.Submissions);
    }

    /// <summary>The host with <see cref="OneBearerToken"/> behind OAUTHBEARER / XOAUTH2.</summary>
    public static Task<AccessHost> StartWithBearerAsync(string redis, IDictionary<string, string?> settings) =>
        StartAsync(redis, settings, s => s.AddSingleton<IBearerTokenValidator, OneBearerToken>());

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
    public void Route(long version, params (string User, string Provider)[] overrides) => PartHost.Route(Routes, version, overrides);

    public async Task<string> NewPasswordAsync(string user) => (await Passwords.CreateAsync(user, "test")).Secret;

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }
}
