namespace Continuity.Mail.Tests.Imap;

/// <summary>The pre-login state machine, replayed byte for byte against a real listener (no backend needed).</summary>
[Trait("Category", "Server")]
public sealed class ImapTranscriptTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const string Greeting = "S: * OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID STARTTLS AUTH=PLAIN] Continuity IMAP ready";
    private AccessHost _host = null!;

    public async Task InitializeAsync() => _host = await AccessHost.StartAsync(redis.ConnectionString, new Dictionary<string, string?>
    {
        ["Mail:Access:MaxLiteral"] = "1024",
        ["Credentials:Throttle:FreeFailures"] = "100",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public Task PreLogin_CapabilityNoopIdLogout_Answered() => ReplayAsync($"""
        {Greeting}
        C: a1 CAPABILITY
        S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID STARTTLS AUTH=PLAIN
        S: a1 OK CAPABILITY completed
        C: a2 noop
        S: a2 OK NOOP completed
        C: a3 ID NIL
        S: * ID ("name" "Continuity")
        S: a3 OK ID completed
        C: a4 ID ("name" "Thunderbird" "version" "128.0")
        S: * ID ("name" "Continuity")
        S: a4 OK ID completed
        C: a5 ID ("name")
        S: a5 BAD ID takes NIL or a list of up to 30 field-value pairs
        C: a6 LOGOUT
        S: * BYE Logging out
        S: a6 OK LOGOUT completed
        S: <closed>
        """);

    [Fact]
    public Task Login_SynchronizingLiterals_ContinuationThenAnswer() => ReplayAsync($"""
        {Greeting}
        C: b1 LOGIN {"{15}"}
        S: + Ready for literal data
        C: alice@demo.test {"{5}"}
        S: + Ready for literal data
        C: wrong
        S: b1 NO [AUTHENTICATIONFAILED] Authentication failed
        C: b2 LOGIN "alice@demo.test" "wro\\ng\"quoted"
        S: b2 NO [AUTHENTICATIONFAILED] Authentication failed
        C: b3 NOOP
        S: b3 OK NOOP completed
        """);

    [Fact]
    public Task Login_NonSynchronizingLiterals_NoContinuation() => ReplayAsync($"""
        {Greeting}
        C+ c1 LOGIN {"{15+}"}<CRLF>alice@demo.test {"{5+}"}<CRLF>wrong<CRLF>c2 NOOP<CRLF>
        S: c1 NO [AUTHENTICATIONFAILED] Authentication failed
        S: c2 OK NOOP completed
        """);

    [Fact]
    public Task Literal_LargerThanBound_RefusedWithoutContinuation() => ReplayAsync($"""
        {Greeting}
        C: d1 LOGIN {"{100000}"}
        S: d1 BAD [TOOBIG] Literal too large
        C: d2 NOOP
        S: d2 OK NOOP completed
        C: d3 LOGIN {"{99999999999}"}
        S: d3 BAD Invalid literal length
        C: d4 LOGIN {"{2000+}"}
        S: * BYE [TOOBIG] Literal too large
        S: <closed>
        """);

    [Fact]
    public Task Authenticate_CancelGarbageAndUnknownMechanism_ProtocolErrors() => ReplayAsync($"""
        {Greeting}
        C: e1 AUTHENTICATE PLAIN
        S: + 
        C: *
        S: e1 BAD Authentication canceled
        C: e2 AUTHENTICATE PLAIN
        S: + 
        C: !!!not base64!!!
        S: e2 BAD Invalid base64 in the SASL response
        C: e3 AUTHENTICATE PLAIN AGFsaWNlQGRlbW8udGVzdAB3cm9uZw==
        S: e3 NO [AUTHENTICATIONFAILED] Authentication failed
        C: e4 AUTHENTICATE PLAIN bm8tbnVscy1oZXJl
        S: e4 NO [AUTHENTICATIONFAILED] Authentication failed
        C: e5 AUTHENTICATE CRAM-MD5
        S: e5 NO Unsupported authentication mechanism
        C: e6 AUTHENTICATE XOAUTH2 dXNlcj1hbGljZUBkZW1vLnRlc3QBYXV0aD1CZWFyZXIgdG9rZW4BAQ==
        S: e6 NO [AUTHENTICATIONFAILED] Bearer tokens are not accepted here
        C: e7 AUTHENTICATE OAUTHBEARER
        S: e7 NO [AUTHENTICATIONFAILED] Bearer tokens are not accepted here
        """);

    [Fact]
    public Task Commands_BadInput_BadWithoutLosingTheSession() => ReplayAsync($"""
        {Greeting}
        C: f1 SELECT INBOX
        S: f1 BAD Log in first
        C: f2 FROBNICATE
        S: f2 BAD Unknown command
        C: +tag NOOP
        S: * BAD Invalid tag
        C: f3 LOGIN al<NUL>ice secret
        S: f3 BAD Invalid characters in command
        C: f4 LOGIN "al<NUL>ice" secret
        S: f4 BAD Invalid characters in quoted string
        C: f4b NOOP
        S: f4b OK NOOP completed
        C: f5 LOGIN "unterminated
        S: f5 BAD Unterminated quoted string
        C: f6 LOGIN {"{5}"} trailing
        S: f6 BAD A literal must end the line
        C: f7 ID ((("x"
        S: f7 BAD Unbalanced parenthesis
        C: f8
        S: f8 BAD Missing command
        C: 
        S: * BAD Invalid tag
        C: f9 NOOP
        S: f9 OK NOOP completed
        """);

    [Fact]
    public async Task CommandLine_100KB_ByeAndClose()
    {
        await using var client = await RawImap.ConnectAsync(_host.ImapPort);
        Assert.StartsWith("* OK", await client.ReadLineAsync());

        await client.SendAsync("g1 LOGIN " + new string('a', 100 * 1024) + " x\r\n");

        Assert.Equal("* BYE [TOOBIG] Command line too long", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task Literal_Unterminated_SessionEndsCleanlyAndServerStaysUp()
    {
        await using (var client = await RawImap.ConnectAsync(_host.ImapPort))
        {
            Assert.StartsWith("* OK", await client.ReadLineAsync());
            await client.SendAsync("h1 LOGIN {15}\r\n");
            Assert.Equal("+ Ready for literal data", await client.ReadLineAsync());
            await client.SendAsync("alice@");
        }

        await using var next = await RawImap.ConnectAsync(_host.ImapPort);
        await Transcript.ReplayAsync(next, $"""
            {Greeting}
            C: h2 NOOP
            S: h2 OK NOOP completed
            """);
    }

    [Fact]
    public async Task BadCommands_TenInARow_Bye()
    {
        await using var client = await RawImap.ConnectAsync(_host.ImapPort);
        Assert.StartsWith("* OK", await client.ReadLineAsync());
        for (var i = 0; i < 10; i++)
        {
            await client.SendAsync($"x{i} FETCH 1 BODY[]\r\n");
            Assert.Equal($"x{i} BAD Log in first", await client.ReadLineAsync());
        }

        Assert.Equal("* BYE Too many invalid commands", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    private async Task ReplayAsync(string transcript)
    {
        await using var client = await RawImap.ConnectAsync(_host.ImapPort);
        await Transcript.ReplayAsync(client, transcript);
    }
}
