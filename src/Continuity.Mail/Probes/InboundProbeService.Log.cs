using Continuity.Core.Signals;
using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Probes;

internal sealed partial class InboundProbeService
{
    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Inbound backend {Target} of {Tenant}/{Provider} is up: {Detail}")]
    private static partial void LogUp(ILogger logger, string tenant, string provider, string target, string detail);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "Inbound backend {Target} of {Tenant}/{Provider} is down: {Detail}")]
    private static partial void LogDown(ILogger logger, string tenant, string provider, string target, string detail);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "Inbound backend of {Tenant}/{Provider} stayed down: tenant-level cut-off signal raised, {Outcome}")]
    private static partial void LogSignal(ILogger logger, string tenant, string provider, CutoffSignalOutcome outcome);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Error, Message = "Inbound backend of {Tenant}/{Provider} stayed down, but the cut-off signal could not be raised; trying again next round")]
    private static partial void LogSignalFailed(ILogger logger, Exception exception, string tenant, string provider);
}
