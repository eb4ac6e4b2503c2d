using System.Collections.Concurrent;
using Continuity.Core.Signals;

namespace Continuity.Mail.Tests.Support;

/// <summary>Plays the Core's signal handling: records each signal and answers <see cref="CutoffSignalOutcome.Suggested"/>.</summary>
public sealed class RecordingCutoffSignals : ICutoffSignals
{
    public ConcurrentQueue<CutoffSignal> Raised { get; } = new();

    public Task<CutoffSignalOutcome> RaiseAsync(CutoffSignal signal, CancellationToken cancellationToken = default)
    {
        Raised.Enqueue(signal);
        return Task.FromResult(CutoffSignalOutcome.Suggested);
    }
}
