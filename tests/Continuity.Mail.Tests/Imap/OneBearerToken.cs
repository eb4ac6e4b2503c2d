using Continuity.Mail.Imap;

namespace Continuity.Mail.Tests.Imap;

/// <summary>
/// A stand-in for the Identity part's validator behind the <see cref="IBearerTokenValidator"/> seam: it accepts
/// <see cref="Token"/> for <see cref="User"/> and nothing else (the gateway tests use real tokens).
/// </summary>
internal sealed class OneBearerToken : IBearerTokenValidator
{
    public const string User = "alice@demo.test";
    public const string Token = "good-token";

    public Task<bool> ValidateAsync(string user, string token, CancellationToken cancellationToken) =>
        Task.FromResult(user == User && token == Token);
}
