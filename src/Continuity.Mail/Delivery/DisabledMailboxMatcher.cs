using System.Text.RegularExpressions;

namespace Continuity.Mail.Delivery;

/// <summary>Recognises a backend's "this mailbox is disabled" refusal (<see cref="DeliveryOptions.DisabledMailboxPatterns"/>).</summary>
internal sealed class DisabledMailboxMatcher(IOptions<MailOptions> options)
{
    private readonly Regex[] _patterns = [.. options.Value.Delivery.EffectiveDisabledMailboxPatterns
        .Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)))];

    public bool IsDisabledMailbox(LmtpReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!reply.IsPermanent)
        {
            return false;
        }

        var text = reply.ToString();
        return Array.Exists(_patterns, p => p.IsMatch(text));
    }
}
