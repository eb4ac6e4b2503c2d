namespace Continuity.Mail.Smtp;

internal enum MessageDefect
{
    None,
    Nul,
    BareLineFeed,
}
