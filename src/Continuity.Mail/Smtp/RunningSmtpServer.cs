namespace Continuity.Mail.Smtp;

/// <summary>
/// One started SmtpServer, as the MX listener and the submission proxy run theirs: it runs on a stop token of its own
/// (the host's start token covers only the start), every session that ends in an exception is handed to the owner's
/// log (SmtpServer would otherwise drop it), and <see cref="StopAsync"/> stops accepting, cancels the open sessions
/// and waits for them as long as the host's stop token allows.
/// </summary>
internal sealed class RunningSmtpServer : IDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private RunningSmtpServer(SmtpServer.SmtpServer server)
    {
        _server = server;
        _running = server.StartAsync(_stop.Token);
    }

    /// <summary>Starts a server with <paramref name="options"/> and its <paramref name="services"/> (filters, stores, listener factory).</summary>
    public static RunningSmtpServer Start(SmtpServer.ISmtpServerOptions options, IServiceProvider services, Action<Exception> sessionFaulted)
    {
        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionFaulted += (_, e) => sessionFaulted(e.Exception);
        return new RunningSmtpServer(server);
    }

    /// <summary>Stops accepting, cancels the sessions and waits for them to end (or for <paramref name="cancellationToken"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _server.Shutdown();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped, or the host stopped waiting.
        }
    }

    public void Dispose() => _stop.Dispose();
}
