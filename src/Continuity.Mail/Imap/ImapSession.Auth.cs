using System.Buffers.Text;

namespace Continuity.Mail.Imap;

/// <summary>LOGIN and AUTHENTICATE (RFC 9051 6.2.2, 6.2.3; SASL-IR RFC 4959), then the backend login.</summary>
internal sealed partial class ImapSession
{
    internal async ValueTask<ImapState> LoginAsync(ImapCommand command, CancellationToken cancellationToken)
    {
        var args = command.Arguments;
        if (args.Count != 2 || args.Any(a => a.Kind is not (ImapTokenKind.Atom or ImapTokenKind.String)))
        {
            await WriteAsync($"{command.Tag} BAD LOGIN takes a user name and a password", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        if (!PlaintextAllowed)
        {
            await WriteAsync($"{command.Tag} NO [PRIVACYREQUIRED] Use STARTTLS before logging in", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        var outcome = await _context.Login.AuthenticateAsync(args[0].Text, args[1].Text, _remote, "imap", cancellationToken).ConfigureAwait(false);
        return await CompleteLoginAsync(command.Tag, outcome, cancellationToken).ConfigureAwait(false);
    }

    internal async ValueTask<ImapState> AuthenticateAsync(ImapCommand command, CancellationToken cancellationToken)
    {
        var args = command.Arguments;
        if (args.Count is < 1 or > 2 || args[0].Kind != ImapTokenKind.Atom)
        {
            await WriteAsync($"{command.Tag} BAD AUTHENTICATE takes a mechanism and an optional initial response", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        var mechanism = args[0].Text.ToUpperInvariant();
        if (mechanism is not ("PLAIN" or "OAUTHBEARER" or "XOAUTH2"))
        {
            await WriteAsync($"{command.Tag} NO Unsupported authentication mechanism", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        if (!PlaintextAllowed)
        {
            await WriteAsync($"{command.Tag} NO [PRIVACYREQUIRED] Use STARTTLS before authenticating", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        if (mechanism != "PLAIN" && !_context.Login.SupportsBearer)
        {
            await WriteAsync($"{command.Tag} NO [AUTHENTICATIONFAILED] Bearer tokens are not accepted here", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        string response;
        if (args.Count == 2)
        {
            response = args[1].Text == "=" ? "" : args[1].Text;
        }
        else
        {
            await WriteAsync("+ ", cancellationToken).ConfigureAwait(false);
            var (status, line) = await _commands.ReadSaslLineAsync(cancellationToken).ConfigureAwait(false);
            if (status != LineStatus.Line)
            {
                await WriteIfTooLongAsync(status, cancellationToken).ConfigureAwait(false);
                return ImapState.Closed;
            }

            response = line;
        }

        if (response == "*")
        {
            await WriteAsync($"{command.Tag} BAD Authentication canceled", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        if (!Base64.IsValid(response) || response.Length == 0)
        {
            await WriteAsync($"{command.Tag} BAD Invalid base64 in the SASL response", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        LoginOutcome outcome;
        if (mechanism == "PLAIN")
        {
            outcome = SaslPlain.TryDecode(Encoding.ASCII.GetBytes(response), out var user, out var password)
                ? await _context.Login.AuthenticateAsync(user, password, _remote, "imap", cancellationToken).ConfigureAwait(false)
                : LoginOutcome.Failed;
        }
        else
        {
            outcome = BearerSasl.TryParse(mechanism, response, out var user, out var token)
                ? await _context.Login.AuthenticateBearerAsync(user, token, _remote, "imap", cancellationToken).ConfigureAwait(false)
                : LoginOutcome.Failed;
            if (outcome.Result == LoginResult.Failed)
            {
                // RFC 7628 3.2.2: an error challenge, the client's dummy response, then the final NO.
                await WriteAsync("+ " + BearerSasl.ErrorChallenge, cancellationToken).ConfigureAwait(false);
                var (status, _) = await _commands.ReadSaslLineAsync(cancellationToken).ConfigureAwait(false);
                if (status != LineStatus.Line)
                {
                    return ImapState.Closed;
                }
            }
        }

        return await CompleteLoginAsync(command.Tag, outcome, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteIfTooLongAsync(LineStatus status, CancellationToken cancellationToken)
    {
        if (status == LineStatus.TooLong)
        {
            await WriteAsync("* BYE [TOOBIG] SASL response too long", cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<ImapState> CompleteLoginAsync(string tag, LoginOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Account is { } account)
        {
            return await ConnectBackendAsync(tag, account, cancellationToken).ConfigureAwait(false);
        }

        switch (outcome.Result)
        {
            case LoginResult.Throttled:
                await WriteAsync($"{tag} NO [UNAVAILABLE] Too many failed logins; try again later", cancellationToken).ConfigureAwait(false);
                break;
            case LoginResult.Unavailable:
                await WriteAsync($"{tag} NO [UNAVAILABLE] Login is temporarily unavailable; try again later", cancellationToken).ConfigureAwait(false);
                return _state;
            default:
                await WriteAsync($"{tag} NO [AUTHENTICATIONFAILED] Authentication failed", cancellationToken).ConfigureAwait(false);
                break;
        }

        if (++_authFailures < Options.MaxAuthFailuresPerConnection)
        {
            return _state;
        }

        await WriteAsync("* BYE Too many failed logins", cancellationToken).ConfigureAwait(false);
        return ImapState.Closed;
    }

    private async ValueTask<ImapState> ConnectBackendAsync(string tag, MailAccount user, CancellationToken cancellationToken)
    {
        var provider = _context.Continuity.Tenants[user.Tenant].Providers[user.Provider];
        if (provider.Mail?.Imap is not { } uri || !BackendEndpoint.TryParse(uri, BackendEndpoint.ImapSchemes, out var endpoint))
        {
            await WriteAsync($"{tag} NO [UNAVAILABLE] No mailbox service is configured for your account", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        using var timeout = new CancellationTokenSource(Options.BackendTimeout, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var login = await ImapBackend.LoginAsync(endpoint, provider.Mail.Login, _context.Tokens, user, tag, linked.Token).ConfigureAwait(false);
        switch (login.Status)
        {
            case BackendLoginStatus.LoggedIn:
                // Logged in: the session belongs to a user now, and a user's long IDLE sessions never count against the
                // address. Given up before the client hears OK, so its next connection finds the place free.
                _preLogin.Dispose();
                await _stream.WriteAsync(login.Response, cancellationToken).ConfigureAwait(false);
                _backend = login;
                _user = user;
                return ImapState.Spliced;
            case BackendLoginStatus.Refused:
                Log.BackendRefused(_context.Logger, endpoint.ToString(), user.Provider, user.User, login.Evidence!);
                await RaiseCutoffAsync(user, login.Evidence!).ConfigureAwait(false);
                await WriteAsync($"{tag} NO [UNAVAILABLE] Your mailbox is not available right now; your administrator has been notified", cancellationToken).ConfigureAwait(false);
                return _state;
            case BackendLoginStatus.NoAppToken:
                Log.NoAppToken(_context.Logger, user.Provider, user.User, login.Evidence!);
                await WriteAsync($"{tag} NO [UNAVAILABLE] The gateway cannot sign in to your mail provider right now; try again later", cancellationToken).ConfigureAwait(false);
                return _state;
            default:
                Log.BackendUnreachable(_context.Logger, endpoint.ToString(), user.Provider, user.User, login.Evidence!);
                await WriteAsync($"{tag} NO [UNAVAILABLE] The mailbox server cannot be reached; try again later", cancellationToken).ConfigureAwait(false);
                return _state;
        }
    }

    private async Task RaiseCutoffAsync(MailAccount user, string evidence)
    {
        try
        {
            await _context.Signals.RaiseAsync(new CutoffSignal(user.Tenant, user.User, user.Provider, "imap", evidence)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SignalFailed(_context.Logger, user.User, ex);
        }
    }

    private async Task SpliceAsync(CancellationToken stopping)
    {
        var user = _user!;
        using var session = new ProxySession("imap", user.Tenant, user.User, user.Provider);
        using var registration = _context.Registry.Register(session);
        var end = await Splice.RunAsync(
            _stream, _backend!.Stream!, _commands.Reader.Buffered, new ImapResponseScanner(), Goodbye,
            new SpliceLimits(Options.IdleTimeout, Options.SessionTimeout), _context.Time, session.CloseRequested, stopping).ConfigureAwait(false);
        Log.SpliceEnded(_context.Logger, user.User, user.Provider, end);
    }

    private static readonly byte[] Goodbye = "* BYE [UNAVAILABLE] Your mailbox has moved to another server; please reconnect\r\n"u8.ToArray();
}
