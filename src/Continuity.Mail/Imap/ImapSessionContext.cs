using Continuity.Core.Configuration;
using Continuity.Core.Signals;
using Continuity.Mail.Backends;
using Continuity.Mail.Proxy;
using Microsoft.Extensions.Logging;

namespace Continuity.Mail.Imap;

/// <summary>What every IMAP session of a node shares.</summary>
internal sealed record ImapSessionContext(
    MailAccessOptions Options,
    ContinuityOptions Continuity,
    ReloadingCertificate? Certificate,
    MailLogin Login,
    AppTokenSource Tokens,
    ICutoffSignals Signals,
    ProxySessionRegistry Registry,
    TimeProvider Time,
    ILogger Logger);
