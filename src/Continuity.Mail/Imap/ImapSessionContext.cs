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
