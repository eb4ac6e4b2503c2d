using System.Security.Authentication;

namespace Continuity.Mail.Imap;

/// <summary>
/// One client connection: the gateway's own IMAP before login (driven by <see cref="ImapStateTable"/>), then a
/// splice to the user's backend. Nothing a client sends before login can throw out of <see cref="RunAsync"/>.
/// </summary>
internal sealed partial class ImapSession
{
    private const int MaxBadCommands = 10;
    private readonly ImapSessionContext _context;
    private readonly Stream _network;
    private readonly IPAddress _remote;
    private readonly ImapCommandReader _commands;
    private readonly IDisposable _preLogin;
    private Stream _stream;
    private ImapState _state;
    private int _authFailures;
    private BackendLogin? _backend;
    private MailAccount? _user;

    /// <param name="preLogin">This connection's place in the per-address count of connections not yet logged in; given up at login.</param>
    public ImapSession(ImapSessionContext context, Stream network, IPAddress remote, bool implicitTls, IDisposable preLogin)
    {
        _preLogin = preLogin;
        _context = context;
        _network = network;
        _stream = network;
        _remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        _commands = new ImapCommandReader(new BoundedReader(network, context.Options.MaxCommandLine), context.Options);
        _state = implicitTls ? ImapState.Secure : ImapState.Plain;
        ImplicitTls = implicitTls;
    }

    private bool ImplicitTls { get; }

    private MailAccessOptions Options => _context.Options;

    private bool PlaintextAllowed => _state == ImapState.Secure || (Options.AllowPlaintextOnLoopback && IPAddress.IsLoopback(_remote));

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            if (ImplicitTls && !await TryHandshakeAsync(stopping).ConfigureAwait(false))
            {
                return;
            }

            await WriteAsync($"* OK [CAPABILITY {Capabilities()}] Continuity IMAP ready", stopping).ConfigureAwait(false);
            await CommandLoopAsync(stopping).ConfigureAwait(false);
            if (_state == ImapState.Spliced)
            {
                await SpliceAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            Log.Ended(_context.Logger, _remote.ToString(), ex.GetType().Name);
        }
        finally
        {
            _backend?.Stream?.Dispose();
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task CommandLoopAsync(CancellationToken stopping)
    {
        var bad = 0;
        while (_state is ImapState.Plain or ImapState.Secure)
        {
            using var timeout = new CancellationTokenSource(Options.LoginTimeout, _context.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
            ImapReadResult read;
            try
            {
                read = await _commands.ReadAsync(_stream, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                await WriteAsync("* BYE Autologout; no command for too long", stopping).ConfigureAwait(false);
                return;
            }

            if (read.Command is not { } command)
            {
                if (read.Error is not null)
                {
                    await WriteAsync(read.Error, linked.Token).ConfigureAwait(false);
                }

                if (read.Close)
                {
                    return;
                }

                if (++bad >= MaxBadCommands)
                {
                    await WriteAsync("* BYE Too many invalid commands", linked.Token).ConfigureAwait(false);
                    return;
                }

                continue;
            }

            if (ImapStateTable.Find(_state, command.Name) is not { } handler)
            {
                await WriteAsync($"{command.Tag} BAD {ImapStateTable.Refusal(_state, command.Name)}", linked.Token).ConfigureAwait(false);
                if (++bad >= MaxBadCommands)
                {
                    await WriteAsync("* BYE Too many invalid commands", linked.Token).ConfigureAwait(false);
                    return;
                }

                continue;
            }

            bad = 0;
            _state = await handler(this, command, linked.Token).ConfigureAwait(false);
        }
    }

    private string Capabilities()
    {
        var caps = new StringBuilder("IMAP4rev1 SASL-IR LITERAL+ ID");
        if (_state == ImapState.Plain && _context.Certificate is not null)
        {
            caps.Append(" STARTTLS");
        }

        if (!PlaintextAllowed)
        {
            return caps.Append(" LOGINDISABLED").ToString();
        }

        caps.Append(" AUTH=PLAIN");
        if (_context.Login.SupportsBearer)
        {
            caps.Append(" AUTH=OAUTHBEARER AUTH=XOAUTH2");
        }

        return caps.ToString();
    }

    private async Task<bool> TryHandshakeAsync(CancellationToken stopping)
    {
        if (_context.Certificate is null)
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(Options.LoginTimeout, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        var tls = new SslStream(_network, leaveInnerStreamOpen: false);
        _stream = tls;
        _commands.Reader.Stream = tls;
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _context.Certificate.Current }, linked.Token).ConfigureAwait(false);
        return true;
    }

    private ValueTask WriteAsync(string line, CancellationToken cancellationToken) =>
        _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken);
}
