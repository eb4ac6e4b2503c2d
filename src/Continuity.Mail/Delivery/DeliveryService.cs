namespace Continuity.Mail.Delivery;

/// <summary>
/// The delivery workers: loads what the spool holds at start, then runs <see cref="MessageDelivery"/> for every
/// message with something due, at most <c>Delivery:Concurrency</c> at once. It sleeps until the next retry time
/// (on the injected <see cref="TimeProvider"/>) or until woken by new mail, a route change, a finished delivery
/// or a queue operation.
/// </summary>
internal sealed partial class DeliveryService(
    SpoolStore spool,
    SpoolQueue queue,
    DeliveryPlanner planner,
    MessageDelivery delivery,
    RouteTable routes,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<DeliveryService> logger) : BackgroundService
{
    private readonly List<Task> _running = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var recovered = spool.Recover();
        foreach (var message in recovered)
        {
            queue.Add(message);
        }

        Log.Recovered(logger, recovered.Count, spool.Directory);
        routes.Changed += OnRoutesChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        routes.Changed -= OnRoutesChanged;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(options.Value.Delivery.Concurrency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = Dispatch(slots, stoppingToken);
                var now = time.GetUtcNow();
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var woken = queue.WaitAsync(wait.Token);
                var timer = next is { } at ? Task.Delay(at > now ? at - now : TimeSpan.Zero, time, wait.Token) : Task.Delay(Timeout.Infinite, wait.Token);
                await Task.WhenAny(woken, timer).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false); // the loser ends cancelled, which nobody needs to observe
            }
        }
        finally
        {
            Task[] running;
            lock (_running)
            {
                running = [.. _running];
            }

            await Task.WhenAll(running).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Starts every due message a slot is free for; returns the earliest future due time.</summary>
    private DateTimeOffset? Dispatch(SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var message in queue.Messages.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            DateTimeOffset? due;
            lock (message)
            {
                if (message.InFlight)
                {
                    continue;
                }

                if (message.NotBefore > now)
                {
                    next = next is { } n && n < message.NotBefore ? n : message.NotBefore;
                    continue;
                }

                var plan = planner.Plan(message, now);
                due = plan.Due.Count > 0 || planner.IsComplete(message) ? now : plan.Next;
                if (due <= now)
                {
                    if (!slots.Wait(0, CancellationToken.None))
                    {
                        return next; // woken again when a slot frees
                    }

                    message.InFlight = true;
                }
            }

            if (due <= now)
            {
                Start(message, slots, stoppingToken);
            }
            else if (due is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        return next;
    }

    private void Start(QueuedMessage message, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        var task = Task.Run(
            async () =>
            {
                try
                {
                    await delivery.RunAsync(message, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    // A disk or journal failure: leave the spool as it is and try again later.
                    Log.PassFailed(logger, message.Id, e);
                    message.NotBefore = time.GetUtcNow() + options.Value.Delivery.FirstRetryDelay;
                }
                finally
                {
                    lock (message)
                    {
                        message.InFlight = false;
                    }

                    slots.Release();
                    queue.Wake();
                }
            },
            CancellationToken.None);
        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    private void OnRoutesChanged(RouteSnapshot before, RouteSnapshot after) => queue.Wake();
}
