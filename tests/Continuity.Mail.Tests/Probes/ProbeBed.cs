using Continuity.Core.Configuration;
using Continuity.Core.Health;
using Continuity.Mail.Configuration;
using Continuity.Mail.Probes;
using Continuity.Mail.Smtp;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Tests.Probes;

/// <summary>An <see cref="InboundProbeService"/> probing the inbound backends of both providers.</summary>
internal sealed class ProbeBed : MailProbeBed
{
    public ProbeBed(string primaryInbound, string? sovereignInbound = null, ProbeOptions? probes = null)
        : base(probes)
    {
        var mail = Options.Create(new MailOptions { ServerName = "mx.demo.test", Probes = Probes });
        Service = new InboundProbeService(
            Demo(new ProviderOptions { Mail = new ProviderMailOptions { Inbound = primaryInbound } }, new ProviderOptions { Mail = new ProviderMailOptions { Inbound = sovereignInbound } }),
            mail, new MxIdentity(mail), Dependencies);
    }

    public InboundProbeService Service { get; }

    public BackendProbeResult Result(string provider) =>
        Assert.Single(Registry.All, r => r.Provider == provider && r.Kind == InboundProbeService.Kind);

    public override void Dispose() => Service.Dispose();

    protected override Task ProbeOnceAsync(CancellationToken cancellationToken) => Service.ProbeOnceAsync(cancellationToken);
}
