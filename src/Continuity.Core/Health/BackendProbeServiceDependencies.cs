using Continuity.Core.Signals;

namespace Continuity.Core.Health;

/// <summary>
/// What every <see cref="BackendProbeService{TTarget, TBackend}"/> needs whatever it probes: where each result goes, where a
/// long outage is signalled, the clock of the rounds and the loggers. One registered service (as EF Core's
/// <c>…Dependencies</c> classes are), so a prober's constructor lists only what is its own and the base can take a new
/// dependency without changing every prober.
/// </summary>
/// <param name="Registry">Where each result goes.</param>
/// <param name="Signals">Where a long outage is signalled.</param>
/// <param name="Time">The clock of the rounds and of the probes' timeouts.</param>
/// <param name="Loggers">Where the prober's logger comes from, in its own category.</param>
public sealed record BackendProbeServiceDependencies(BackendHealthRegistry Registry, ICutoffSignals Signals, TimeProvider Time, ILoggerFactory Loggers);
