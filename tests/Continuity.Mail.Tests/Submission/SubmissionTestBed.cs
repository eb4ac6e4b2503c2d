using Continuity.Mail.Tests.Imap;
using Continuity.Testing;

namespace Continuity.Mail.Tests.Submission;

/// <summary>Per provider: a sink (its outbound MTA) and a real Dovecot submission relaying to it; plus redis. Shared by one test class.</summary>
public sealed class SubmissionTestBed : IDisposable
{
    private static readonly string[] Users = ["alice@demo.test", "bob@demo.test"];

    public SubmissionTestBed()
    {
        PrimarySink = new SmtpSink();
        SovereignSink = new SmtpSink();
        Primary = DovecotProxySubmission.Start("primary", PrimarySink.Port, Users);
        Sovereign = DovecotProxySubmission.Start("sovereign", SovereignSink.Port, Users);
    }

    public RedisFixture Redis { get; } = new();

    public SmtpSink PrimarySink { get; }

    public SmtpSink SovereignSink { get; }

    public DovecotProxySubmission Primary { get; }

    public DovecotProxySubmission Sovereign { get; }

    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (name, server) in new[] { ("primary", Primary), ("sovereign", Sovereign) })
        {
            settings[$"Tenants:demo:Providers:{name}:Mail:Submission"] = server.Uri;
            settings[$"Tenants:demo:Providers:{name}:Mail:Login:Master"] = DovecotServer.MasterUser;
            settings[$"Tenants:demo:Providers:{name}:Mail:Login:MasterPassword"] = DovecotServer.MasterPassword;
        }

        return settings;
    }

    public void Dispose()
    {
        Primary.Dispose();
        Sovereign.Dispose();
        PrimarySink.Dispose();
        SovereignSink.Dispose();
        Redis.Dispose();
    }
}
