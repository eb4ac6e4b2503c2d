using Continuity.Core.Audit;
using Continuity.Core.Credentials;
using Continuity.Core.Tenants;
using Continuity.Mail.Imap;

namespace Continuity.Mail.Proxy;

/// <summary>
/// Gateway authentication for IMAP and submission: the throttle first (a refused attempt costs no hash),
/// then the app password or bearer token, then the user's route. The app password's record is read alongside the
/// throttle's counters (one round trip for both), and a repeat login is answered by the store's verified-password cache. Failures are slowed as the throttle says;
/// a lockout is audited once. Passwords and tokens never reach a log.
/// </summary>
internal sealed partial class MailLogin(
    TenantDirectory tenants,
    AppPasswordStore passwords,
    LoginThrottle throttle,
    RouteTable routes,
    AuditLog audit,
    TimeProvider time,
    ILogger<MailLogin> logger,
    IBearerTokenValidator? bearer = null)
{
    /// <summary>True when a bearer-token validator is registered (OAUTHBEARER / XOAUTH2 are offered).</summary>
    public bool SupportsBearer => bearer is not null;

    public Task<LoginOutcome> AuthenticateAsync(string user, string password, IPAddress client, string protocol, CancellationToken cancellationToken) =>
        RunAsync<StoredAppPassword>(
            user, client, protocol,
            u => passwords.FindAsync(u, password, cancellationToken),
            stored => Task.FromResult(passwords.Check(stored).Valid),
            stored => passwords.TouchAsync(stored, CancellationToken.None), // the login succeeded: its stamp is written
            cancellationToken);

    public Task<LoginOutcome> AuthenticateBearerAsync(string user, string token, IPAddress client, string protocol, CancellationToken cancellationToken) =>
        RunAsync(
            user, client, protocol,
            _ => Task.FromResult(true),
            async _ => bearer is not null && await bearer.ValidateAsync(user.Trim().ToLowerInvariant(), token, cancellationToken).ConfigureAwait(false),
            _ => Task.CompletedTask,
            cancellationToken);

    /// <summary>
    /// The login, in as few store round trips as it can: the credential's stored record is read while the throttle is
    /// asked (reading costs nothing worth throttling; only the check waits for the throttle's answer), and after a
    /// success the last-use stamp and the throttle's reset go out together.
    /// </summary>
    private async Task<LoginOutcome> RunAsync<T>(
        string user, IPAddress client, string protocol, Func<string, Task<T?>> read, Func<T, Task<bool>> check, Func<T, Task> used,
        CancellationToken cancellationToken)
    {
        user = user.Trim().ToLowerInvariant();
        var address = client.ToString();
        if (user.Length is 0 or > 254 || user.Any(char.IsControl) || user.Contains(' ', StringComparison.Ordinal))
        {
            return LoginOutcome.Failed;
        }

        Task<T?>? reading = null;
        try
        {
            var tenant = tenants.FindByAddress(user);
            reading = tenant is null ? null : read(user);
            var before = await throttle.CheckAsync(user, address, cancellationToken).ConfigureAwait(false);
            if (before.Refused)
            {
                Log.Throttled(logger, protocol, user, address);
                return LoginOutcome.Throttled;
            }

            await WaitAsync(before.Delay, cancellationToken).ConfigureAwait(false);
            if (tenant is null || reading is null || await reading.ConfigureAwait(false) is not { } stored || !await check(stored).ConfigureAwait(false))
            {
                var after = await throttle.RecordFailureAsync(user, address).ConfigureAwait(false);
                Log.Failed(logger, protocol, user, address);
                if (after.JustLocked && tenant is not null)
                {
                    await audit.AppendAsync(new AuditEntry("mail-login", "login.locked", tenant, user, Reason: $"too many failed {protocol} logins", Details: "client " + address), CancellationToken.None).ConfigureAwait(false);
                }

                await WaitAsync(after.Delay, cancellationToken).ConfigureAwait(false);
                return LoginOutcome.Failed;
            }

            await Task.WhenAll(used(stored), throttle.RecordSuccessAsync(user, address, cancellationToken)).ConfigureAwait(false);
            var provider = routes.Resolve(tenant, user);
            if (provider is null)
            {
                return LoginOutcome.Unavailable;
            }

            Log.Succeeded(logger, protocol, user, address, provider);
            return LoginOutcome.Success(new MailAccount(tenant, user, provider));
        }
        catch (StateUnavailableException)
        {
            Log.StoreDown(logger, protocol, user, address);
            return LoginOutcome.Unavailable;
        }
        finally
        {
            Observe(reading); // a refusal or an early failure leaves the read unawaited
        }
    }

    private static void Observe(Task? task) =>
        task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, time, cancellationToken) : Task.CompletedTask;
}
