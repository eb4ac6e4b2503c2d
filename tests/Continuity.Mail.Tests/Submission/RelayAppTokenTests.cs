using System.Buffers;
using System.Reflection;
using System.Text;
using Continuity.Core.Configuration;
using Continuity.Core.Routing;
using Continuity.Mail.Backends;
using Continuity.Mail.Proxy;
using Continuity.Mail.Submission;
using Continuity.Mail.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpServer;
using SmtpServer.Mail;

namespace Continuity.Mail.Tests.Submission;

/// <summary>
/// The submission relay against a provider that takes only its app token (<c>Mail:Login:Mode OAuth2ClientCredentials</c>):
/// a real Dovecot submission service with the oauth2 passdb (introspection at <see cref="StandInTokenServer"/>) relaying
/// to a sink. The relay is driven directly (its wiring into the submission server lives in another file).
/// </summary>
[Trait("Category", "Server")]
public sealed class RelayAppTokenTests
{
    private const string Alice = "alice@demo.test";

    [Fact]
    public async Task Save_OAuth2Provider_RelaysWithXoauth2AndRenewsARefusedToken()
    {
        await using var bed = await Bed.StartAsync();
        using var source = new AppTokenSource(TimeProvider.System, NullLogger<AppTokenSource>.Instance);
        var relay = bed.Relay(StandInTokenServer.ClientSecret, source);

        var first = await relay.SaveAsync(Session(), Transaction("bob@demo.test"), Message("first"), CancellationToken.None);
        bed.Tokens.RevokeAll();
        var second = await relay.SaveAsync(Session(), Transaction("bob@demo.test"), Message("second"), CancellationToken.None);

        Assert.Equal(250, (int)first.ReplyCode);
        Assert.Equal(250, (int)second.ReplyCode);
        Assert.Contains("first", (await bed.Sink.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Contains("second", (await bed.Sink.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Equal(2, bed.Tokens.Issued);
        Assert.Contains($"user=<{Alice}>, method=XOAUTH2", await File.ReadAllTextAsync(bed.Dovecot.LogPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_WrongClientSecret_TemporaryFailureNothingRelayed()
    {
        await using var bed = await Bed.StartAsync();
        using var source = new AppTokenSource(TimeProvider.System, NullLogger<AppTokenSource>.Instance);

        var reply = await bed.Relay("wrong-secret", source).SaveAsync(Session(), Transaction("bob@demo.test"), Message("never"), CancellationToken.None);

        Assert.Equal(451, (int)reply.ReplyCode);
        Assert.DoesNotContain("wrong-secret", reply.Message, StringComparison.Ordinal);
        Assert.True(bed.Sink.IsEmpty);
        Assert.Equal(0, bed.Tokens.Issued);
    }

    private static ReadOnlySequence<byte> Message(string subject) => new(Encoding.ASCII.GetBytes(
        $"From: {Alice}\r\nTo: bob@demo.test\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@demo.test>\r\n\r\n{subject}\r\n"));

    private static ISessionContext Session()
    {
        var session = DispatchProxy.Create<ISessionContext, Stub>();
        ((Stub)(object)session).Values["get_Properties"] = new Dictionary<string, object>
        {
            [SubmissionKeys.Login] = new MailAccount("demo", Alice, "primary"),
        };
        return session;
    }

    private static IMessageTransaction Transaction(string to)
    {
        var transaction = DispatchProxy.Create<IMessageTransaction, Stub>();
        ((Stub)(object)transaction).Values["get_To"] = new List<IMailbox> { new Mailbox(to) };
        ((Stub)(object)transaction).Values["get_From"] = new Mailbox(Alice);
        return transaction;
    }

    /// <summary>Answers property reads from <see cref="Values"/> (what the relay reads of SmtpServer's session and transaction).</summary>
    public class Stub : DispatchProxy
    {
        public Dictionary<string, object?> Values { get; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod is not null && Values.TryGetValue(targetMethod.Name, out var value) ? value : null;
    }

    private sealed class Bed : IAsyncDisposable
    {
        private readonly TempDirectory _dir;

        private Bed(StandInTokenServer tokens, SmtpSink sink, DovecotProxySubmission dovecot, TempDirectory dir) => (Tokens, Sink, Dovecot, _dir) = (tokens, sink, dovecot, dir);

        public StandInTokenServer Tokens { get; }

        public SmtpSink Sink { get; }

        public DovecotProxySubmission Dovecot { get; }

        public static async Task<Bed> StartAsync()
        {
            var tokens = new StandInTokenServer("demo.test");
            await tokens.StartAsync();
            var dir = new TempDirectory("relay-oauth2");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED); // 0755: Dovecot's auth process reads the passdb args
            }

            var sink = new SmtpSink();
            var dovecot = DovecotProxySubmission.StartWithSettings("oauth", sink.Port, tokens.DovecotSettings(dir.Combine("oauth2.conf")), Alice, "bob@demo.test");
            return new Bed(tokens, sink, dovecot, dir);
        }

        internal SubmissionRelay Relay(string secret, AppTokenSource source)
        {
            var continuity = new ContinuityOptions();
            continuity.Tenants["demo"] = new TenantOptions
            {
                DefaultProvider = "primary",
                Domains = { "demo.test" },
                Providers =
                {
                    ["primary"] = new ProviderOptions
                    {
                        Mail = new ProviderMailOptions
                        {
                            Submission = Dovecot.Uri,
                            Login = new MailLoginOptions
                            {
                                Mode = MailLoginMode.OAuth2ClientCredentials,
                                OAuth2 = { TokenEndpoint = Tokens.TokenEndpoint, ClientId = StandInTokenServer.ClientId, ClientSecret = secret, Scope = "smtp" },
                            },
                        },
                    },
                },
            };
            return new SubmissionRelay(continuity, new RouteTable(), new RecordingCutoffSignals(), new MailAccessOptions(), NullLogger.Instance, source);
        }

        public async ValueTask DisposeAsync()
        {
            Dovecot.Dispose();
            Sink.Dispose();
            await Tokens.DisposeAsync();
            _dir.Dispose();
        }
    }
}
