namespace Continuity.Mail.Imap;

internal enum ImapTokenKind
{
    Atom,
    String,
    ListOpen,
    ListClose,
}
