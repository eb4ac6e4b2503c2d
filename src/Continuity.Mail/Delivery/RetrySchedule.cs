namespace Continuity.Mail.Delivery;

/// <summary>Postfix-style backoff: the first retry after <c>FirstRetryDelay</c>, doubling, at most <c>MaxRetryDelay</c> apart.</summary>
internal static class RetrySchedule
{
    public static TimeSpan DelayAfter(int failedAttempts, DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var delay = options.FirstRetryDelay;
        for (var i = 1; i < failedAttempts && delay < options.MaxRetryDelay; i++)
        {
            delay *= 2;
        }

        return delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay;
    }
}
