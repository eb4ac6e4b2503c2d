using System.Net;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>An admin API answer: status, media type and body.</summary>
internal sealed record AdminAnswer(HttpStatusCode Status, string? MediaType, string Text)
{
    public override string ToString() => $"{(int)Status} {MediaType} {Text}";
}
