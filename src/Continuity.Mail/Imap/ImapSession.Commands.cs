namespace Continuity.Mail.Imap;

/// <summary>The pre-login commands that do not authenticate (RFC 9051 6.1, 6.2.1; RFC 2971 ID).</summary>
internal sealed partial class ImapSession
{
    internal async ValueTask<ImapState> CapabilityAsync(ImapCommand command, CancellationToken cancellationToken)
    {
        await WriteAsync("* CAPABILITY " + Capabilities(), cancellationToken).ConfigureAwait(false);
        await WriteAsync($"{command.Tag} OK CAPABILITY completed", cancellationToken).ConfigureAwait(false);
        return _state;
    }

    internal async ValueTask<ImapState> NoopAsync(ImapCommand command, CancellationToken cancellationToken)
    {
        await WriteAsync($"{command.Tag} OK NOOP completed", cancellationToken).ConfigureAwait(false);
        return _state;
    }

    internal async ValueTask<ImapState> LogoutAsync(ImapCommand command, CancellationToken cancellationToken)
    {
        await WriteAsync("* BYE Logging out", cancellationToken).ConfigureAwait(false);
        await WriteAsync($"{command.Tag} OK LOGOUT completed", cancellationToken).ConfigureAwait(false);
        return ImapState.Closed;
    }

    /// <summary>RFC 2971: <c>ID NIL</c> or <c>ID ("key" "value" …)</c>; the client's values are not kept.</summary>
    internal async ValueTask<ImapState> IdAsync(ImapCommand command, CancellationToken cancellationToken)
    {
        var args = command.Arguments;
        var valid = (args.Count == 1 && args[0].IsNil)
            || (args.Count >= 2 && args[0].Kind == ImapTokenKind.ListOpen && args[^1].Kind == ImapTokenKind.ListClose
                && (args.Count - 2) % 2 == 0 && (args.Count - 2) / 2 <= 30
                && args.Skip(1).SkipLast(1).All(a => a.Kind is ImapTokenKind.String or ImapTokenKind.Atom));
        if (!valid)
        {
            await WriteAsync($"{command.Tag} BAD ID takes NIL or a list of up to 30 field-value pairs", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        await WriteAsync("* ID (\"name\" \"Continuity\")", cancellationToken).ConfigureAwait(false);
        await WriteAsync($"{command.Tag} OK ID completed", cancellationToken).ConfigureAwait(false);
        return _state;
    }

    /// <summary>RFC 9051 6.2.1. Bytes the client sent after the command line are dropped before the handshake (CVE-2011-0411 class).</summary>
    internal async ValueTask<ImapState> StartTlsAsync(ImapCommand command, CancellationToken cancellationToken)
    {
        if (_context.Certificate is null || command.Arguments.Count != 0)
        {
            await WriteAsync($"{command.Tag} BAD STARTTLS is not available", cancellationToken).ConfigureAwait(false);
            return _state;
        }

        await WriteAsync($"{command.Tag} OK Begin TLS negotiation now", cancellationToken).ConfigureAwait(false);
        _commands.Reader.DiscardBuffered();
        var tls = new SslStream(_network, leaveInnerStreamOpen: false);
        _stream = tls;
        _commands.Reader.Stream = tls;
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _context.Certificate.Current }, cancellationToken).ConfigureAwait(false);
        return ImapState.Secure;
    }
}
