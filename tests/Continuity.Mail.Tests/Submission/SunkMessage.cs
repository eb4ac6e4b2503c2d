namespace Continuity.Mail.Tests.Submission;

public sealed record SunkMessage(string From, IReadOnlyList<string> To, string Text);
