namespace Continuity.Mail.Imap;

/// <summary>A whole pre-login command: tag, upper-case name, and its arguments (literals already read).</summary>
internal sealed record ImapCommand(string Tag, string Name, IReadOnlyList<ImapToken> Arguments);
