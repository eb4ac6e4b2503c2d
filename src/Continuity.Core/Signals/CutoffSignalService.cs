using Continuity.Core.Audit;
using Continuity.Core.Configuration;
using Continuity.Core.Failover;
using Continuity.Core.Routing;
using Continuity.Core.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Continuity.Core.Signals;

/// <summary>
/// Turns cut-off signals into what the tenant's policy says: an audit record (<c>Off</c>), a
/// pending failover request (<c>Suggest</c>, one per user and target while pending) or a route
/// change (<c>Apply</c>). A signal about a provider the user is no longer routed to does nothing.
/// </summary>
public sealed partial class CutoffSignalService(
    IOptions<ContinuityOptions> options,
    RouteTable table,
    FailoverService failover,
    AuditLog audit,
    ILogger<CutoffSignalService> logger) : ICutoffSignals
{
    public async Task<CutoffSignalOutcome> RaiseAsync(CutoffSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!options.Value.Tenants.TryGetValue(signal.Tenant, out var tenant) || tenant.FindProvider(signal.Provider) is not { } provider)
        {
            throw new ArgumentException($"Unknown tenant or provider in signal: {signal.Tenant}/{signal.Provider}", nameof(signal));
        }

        var user = signal.User?.ToLowerInvariant();
        Log.Raised(logger, signal.Source, signal.Tenant, user ?? "(tenant)", provider, signal.Evidence);
        if (!string.Equals(table.Resolve(signal.Tenant, user), provider, StringComparison.OrdinalIgnoreCase))
        {
            return CutoffSignalOutcome.NotRouted;
        }

        var target = tenant.ResolveSovereignProvider();
        var actor = "signal:" + signal.Source;
        var reason = $"cut-off signal from {signal.Source}: {provider} stopped serving {(user ?? "the tenant")}";
        try
        {
            switch (tenant.Failover.Automatic)
            {
                case AutomaticFailover.Apply:
                    await failover.ApplyAsync(new RouteChange(signal.Tenant, user, target, actor, reason, Details: "evidence: " + signal.Evidence)).ConfigureAwait(false);
                    return CutoffSignalOutcome.Applied;
                case AutomaticFailover.Suggest:
                    await failover.SuggestAsync(signal.Tenant, user, target, reason, actor, signal.Evidence).ConfigureAwait(false);
                    return CutoffSignalOutcome.Suggested;
                default:
                    await audit.AppendAsync(new AuditEntry(actor, "signal.recorded", signal.Tenant, user, provider, null, reason, "evidence: " + signal.Evidence)).ConfigureAwait(false);
                    return CutoffSignalOutcome.Recorded;
            }
        }
        catch (StateUnavailableException)
        {
            Log.Unavailable(logger, signal.Tenant, user ?? "(tenant)");
            return CutoffSignalOutcome.Unavailable;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Warning, "Cut-off signal from {Source}: tenant {Tenant}, user {User}, provider {Provider}: {Evidence}")]
        public static partial void Raised(ILogger logger, string source, string tenant, string user, string provider, string evidence);

        [LoggerMessage(1101, LogLevel.Error, "Cut-off signal for {Tenant}/{User} could not be acted on: state store unreachable")]
        public static partial void Unavailable(ILogger logger, string tenant, string user);
    }
}
