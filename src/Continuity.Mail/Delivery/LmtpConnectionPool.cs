namespace Continuity.Mail.Delivery;

/// <summary>
/// Idle LMTP and SMTP delivery connections per backend (scheme, host and port), reused after an RSET probe (as
/// Postfix's connection cache does). At most <see cref="DeliveryOptions.PoolSize"/> idle connections are kept per backend.
/// </summary>
internal sealed class LmtpConnectionPool(IOptions<MailOptions> options, MxIdentity identity, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<LmtpClient>> _idle = new(StringComparer.OrdinalIgnoreCase);

    public async Task<LmtpClient> RentAsync(Uri backend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var queue = _idle.GetOrAdd(Key(backend), _ => new ConcurrentQueue<LmtpClient>());
        while (queue.TryDequeue(out var client))
        {
            if (time.GetUtcNow() - client.LastUsed < MaxIdle && await client.ResetAsync(cancellationToken).ConfigureAwait(false))
            {
                return client;
            }

            await client.DisposeAsync().ConfigureAwait(false);
        }

        var delivery = options.Value.Delivery;
        return await LmtpClient.ConnectAsync(
            backend, identity.ServerName, delivery.ConnectTimeout, delivery.CommandTimeout, time, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReturnAsync(Uri backend, LmtpClient client)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(client);
        var queue = _idle.GetOrAdd(Key(backend), _ => new ConcurrentQueue<LmtpClient>());
        if (client.IsHealthy && queue.Count < options.Value.Delivery.PoolSize)
        {
            queue.Enqueue(client);
            return;
        }

        await client.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _idle.Values)
        {
            while (queue.TryDequeue(out var client))
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static string Key(Uri backend) => $"{backend.Scheme}://{backend.Host}:{backend.Port}";
}
