namespace Continuity.Mail.Smtp;

/// <summary>What <see cref="RecipientPolicy"/> decided for one RCPT TO: a recipient to spool, or a reply.</summary>
internal sealed record RecipientDecision(SpoolRecipient? Recipient, int Code, string Text)
{
    public bool Accepted => Recipient is not null;

    public static RecipientDecision Accept(SpoolRecipient recipient) => new(recipient, 250, "2.1.5 Ok");

    public static RecipientDecision Reject(int code, string text) => new(null, code, text);
}
