using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Mail.Configuration;
using Continuity.Mail.Probes;
using Continuity.Mail.Smtp;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Tests.Probes;

/// <summary>An <see cref="ImapSubmissionProbeService"/> probing provider <c>primary</c>'s IMAP and submission backends.</summary>
internal sealed class ImapSubmissionProbeBed : MailProbeBed
{
    public ImapSubmissionProbeBed(string? imap, string? submission)
        : base(null)
    {
        var mail = Options.Create(new MailOptions { ServerName = "gateway.demo.test" });
        Service = new ImapSubmissionProbeService(
            Demo(new ProviderOptions { Mail = new ProviderMailOptions { Imap = imap, Submission = submission } }, new ProviderOptions()),
            Probes, new MxIdentity(mail), Dependencies);
    }

    public ImapSubmissionProbeService Service { get; }

    public BackendProbeResult Result(string kind) => Assert.Single(Registry.All, r => r.Provider == "primary" && r.Kind == kind);

    public override void Dispose() => Service.Dispose();

    protected override Task ProbeOnceAsync(CancellationToken cancellationToken) => Service.ProbeOnceAsync(cancellationToken);
}
