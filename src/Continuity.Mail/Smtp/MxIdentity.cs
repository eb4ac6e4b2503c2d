namespace Continuity.Mail.Smtp;

/// <summary>The name this MX gives itself (greeting, Received, bounces).</summary>
internal sealed class MxIdentity(IOptions<MailOptions> options)
{
    public string ServerName { get; } = options.Value.ServerName is { Length: > 0 } name ? name : Environment.MachineName;
}
