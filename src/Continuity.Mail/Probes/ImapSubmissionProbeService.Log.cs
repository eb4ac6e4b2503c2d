using Continuity.Core.Signals;
using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Probes;

internal sealed partial class ImapSubmissionProbeService
{
    [LoggerMessage(EventId = 1911, Level = LogLevel.Information, Message = "{Kind} backend {Target} of {Tenant}/{Provider} is up: {Detail}")]
    private static partial void LogUp(ILogger logger, string kind, string tenant, string provider, string target, string detail);

    [LoggerMessage(EventId = 1912, Level = LogLevel.Warning, Message = "{Kind} backend {Target} of {Tenant}/{Provider} is down: {Detail}")]
    private static partial void LogDown(ILogger logger, string kind, string tenant, string provider, string target, string detail);

    [LoggerMessage(EventId = 1913, Level = LogLevel.Warning, Message = "{Kind} backend of {Tenant}/{Provider} stayed down: tenant-level cut-off signal raised, {Outcome}")]
    private static partial void LogSignal(ILogger logger, string kind, string tenant, string provider, CutoffSignalOutcome outcome);

    [LoggerMessage(EventId = 1914, Level = LogLevel.Error, Message = "{Kind} backend of {Tenant}/{Provider} stayed down, but the cut-off signal could not be raised; trying again next round")]
    private static partial void LogSignalFailed(ILogger logger, Exception exception, string kind, string tenant, string provider);
}
