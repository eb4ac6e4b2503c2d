namespace Continuity.Mail.Imap;

/// <summary>One argument token of a pre-login command: an atom, a string (quoted or literal), or a parenthesis.</summary>
internal readonly record struct ImapToken(ImapTokenKind Kind, byte[] Value)
{
    public static readonly ImapToken Open = new(ImapTokenKind.ListOpen, []);
    public static readonly ImapToken Close = new(ImapTokenKind.ListClose, []);

    /// <summary>An atom or string as text (UTF-8), for user names and passwords.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Value);

    public bool IsNil => Kind == ImapTokenKind.Atom && Value is [(byte)'N' or (byte)'n', (byte)'I' or (byte)'i', (byte)'L' or (byte)'l'];
}
