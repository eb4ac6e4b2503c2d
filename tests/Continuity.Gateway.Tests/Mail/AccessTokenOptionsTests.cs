using Continuity.Identity.Configuration;
using Continuity.Identity.Validation;
using Microsoft.Extensions.Options;

namespace Continuity.Gateway.Tests.Mail;

/// <summary>The start-up check of <c>Continuity:Identity:AccessTokens</c>: a mail scope whose tokens could never pass is an error, with its path.</summary>
[Trait("Category", "Server")]
public sealed class AccessTokenOptionsTests
{
    [Fact]
    public void Validate_MailScopeWithoutTheMailAudienceUnknownClientEmptyNames_EveryErrorWithItsPath()
    {
        var identity = new IdentityOptions { Scopes = { ["mail"] = ["imap.demo.test"] }, Clients = { ["mail-app"] = new ClientOptions() } };
        var options = new AccessTokenOptions { MailClients = ["mail-app", "nobody"], AdminScope = " " };

        var result = new AccessTokenOptionsValidator(Options.Create(identity)).Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Continuity:Identity:Scopes:mail:", StringComparison.Ordinal) && f.Contains("urn:continuity:mail", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Identity:AccessTokens:MailClients:1:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Continuity:Identity:AccessTokens:AdminScope:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DefaultsWithTheDemoScopes_Succeeds()
    {
        var identity = new IdentityOptions { Scopes = { ["mail"] = ["urn:continuity:mail"] } };

        var result = new AccessTokenOptionsValidator(Options.Create(identity)).Validate(null, new AccessTokenOptions());

        Assert.True(result.Succeeded);
    }
}
