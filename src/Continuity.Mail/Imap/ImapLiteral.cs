namespace Continuity.Mail.Imap;

/// <summary>A literal announced at the end of a line: <c>{n}</c> (synchronizing) or <c>{n+}</c> (LITERAL+).</summary>
internal readonly record struct ImapLiteral(long Length, bool NonSynchronizing);
