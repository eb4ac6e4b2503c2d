using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Mail.Configuration;
using Continuity.Mail.Probes;
using Continuity.Mail.Smtp;
using Continuity.Mail.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Mail.Tests.Probes;

/// <summary>
/// An <see cref="ImapSubmissionProbeService"/> for tenant <c>demo</c>, provider <c>primary</c> with the given IMAP and
/// submission backends, on fake time, with the real <see cref="BackendHealthRegistry"/> and a recording <c>ICutoffSignals</c>.
/// </summary>
internal sealed class ImapSubmissionProbeBed : IDisposable
{
    public ImapSubmissionProbeBed(string? imap, string? submission)
    {
        Registry = new BackendHealthRegistry(Time);
        var tenant = new TenantOptions { Domains = ["demo.test"], DefaultProvider = "primary", SovereignProvider = "sovereign" };
        tenant.Providers["primary"] = new ProviderOptions { Mail = new ProviderMailOptions { Imap = imap, Submission = submission } };
        tenant.Providers["sovereign"] = new ProviderOptions();
        var continuity = new ContinuityOptions { Tenants = { ["demo"] = tenant } };
        var mail = Options.Create(new MailOptions { ServerName = "gateway.demo.test" });
        Service = new ImapSubmissionProbeService(
            Options.Create(continuity), Probes, Registry, Signals, new MxIdentity(mail), Time, NullLogger<ImapSubmissionProbeService>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2025-06-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public ProbeOptions Probes { get; } = new();

    public BackendHealthRegistry Registry { get; }

    public RecordingCutoffSignals Signals { get; } = new();

    public ImapSubmissionProbeService Service { get; }

    public BackendProbeResult Result(string kind) => Assert.Single(Registry.All, r => r.Provider == "primary" && r.Kind == kind);

    /// <summary>One round, bounded by a real deadline so a hanging probe fails the test instead of blocking it.</summary>
    public Task RoundAsync() => Service.ProbeOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

    public void Dispose() => Service.Dispose();
}
