using System.Security.Claims;
using Continuity.Core.Configuration;
using Continuity.Identity.Federation;

namespace Continuity.Identity.Tests.Federation;

/// <summary>
/// Unit level: what each provider profile makes of an upstream's claims. The same cases run end to end against
/// oidc-provider in the federation acceptance tests; these pin the rules themselves.
/// </summary>
public sealed class UpstreamProfileMapperTests
{
    private const string EntraTenant = "6f1c2a9e-7d3b-4c5a-9e8f-0a1b2c3d4e5f";

    private static readonly ProviderIdentityOptions Generic = new() { Authority = "http://127.0.0.1:1/", ClientId = "c" };

    private static readonly ProviderIdentityOptions Entra = new()
    {
        Authority = "http://127.0.0.1:2/",
        ClientId = "c",
        Profile = UpstreamProfile.Entra,
        TenantId = EntraTenant,
    };

    [Fact]
    public void Map_GenericClaimsInBothIdTokenAndUserInfo_OneIdentityWithoutError()
    {
        var both = Principal(("sub", "kc-1"), ("email", "alice@demo.test"), ("email_verified", "true"), ("name", "Alice"));

        var mapping = UpstreamProfileMapper.Map("demo", "sovereign", Generic, UpstreamClaims.From(both, both));

        var identity = Assert.IsType<Continuity.Identity.Accounts.UpstreamIdentity>(mapping.Identity);
        Assert.Equal(("kc-1", "alice@demo.test", true, "Alice"), (identity.Subject, identity.Email, identity.EmailVerified, identity.Name));
    }

    [Fact]
    public void Map_ClaimDiffersBetweenIdTokenAndUserInfo_IdTokenWins()
    {
        var idToken = Principal(("sub", "kc-1"), ("name", "Alice A."));
        var userInfo = Principal(("sub", "kc-1"), ("name", "Alice B."), ("email", "alice@demo.test"));

        var identity = UpstreamProfileMapper.Map("demo", "sovereign", Generic, UpstreamClaims.From(idToken, userInfo)).Identity!;

        Assert.Equal("Alice A.", identity.Name);
        Assert.Equal("alice@demo.test", identity.Email);
    }

    [Fact]
    public void Map_SubjectDiffersBetweenIdTokenAndUserInfo_Refused()
    {
        var mapping = UpstreamProfileMapper.Map("demo", "sovereign", Generic,
            UpstreamClaims.From(Principal(("sub", "kc-1")), Principal(("sub", "kc-2"), ("email", "alice@demo.test"))));

        Assert.Null(mapping.Identity);
        Assert.Contains("another subject", mapping.Refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("yes", false)]
    [InlineData(null, false)]
    public void Map_GenericEmailVerifiedAsStringOrBoolean_ReadAsBoolean(string? value, bool expected)
    {
        var claims = new List<(string, string)> { ("sub", "kc-1"), ("email", "alice@demo.test") };
        if (value is not null)
        {
            claims.Add(("email_verified", value));
        }

        var identity = UpstreamProfileMapper.Map("demo", "sovereign", Generic, UpstreamClaims.From(Principal([.. claims]), null)).Identity!;

        Assert.Equal(expected, identity.EmailVerified);
    }

    [Fact]
    public void Map_GenericWithoutEmail_IdentityWithoutAddress()
    {
        var identity = UpstreamProfileMapper.Map("demo", "sovereign", Generic, UpstreamClaims.From(Principal(("sub", "kc-1")), null)).Identity!;

        Assert.Null(identity.Email);
        Assert.False(identity.EmailVerified);
    }

    [Fact]
    public void Map_EntraOwnTenant_ObjectIdIsTheSubjectAndPreferredUsernameTheAddress()
    {
        var claims = Principal(("sub", "pairwise-xyz"), ("oid", "00000000-0000-0000-0000-00000000a11c"), ("tid", EntraTenant),
            ("preferred_username", "alice@demo.test"), ("email", "someone@else.test"), ("name", "Alice"));

        var identity = UpstreamProfileMapper.Map("demo", "primary", Entra, UpstreamClaims.From(claims, claims)).Identity!;

        Assert.Equal("00000000-0000-0000-0000-00000000a11c", identity.Subject);
        Assert.Equal("alice@demo.test", identity.Email);
        Assert.True(identity.EmailVerified);
    }

    [Fact]
    public void Map_EntraAttackerWithVictimsEmailClaim_EmailIgnored()
    {
        var claims = Principal(("sub", "s"), ("oid", "0b0e0000-0000-0000-0000-000000000666"), ("tid", EntraTenant), ("email", "alice@demo.test"));

        var identity = UpstreamProfileMapper.Map("demo", "primary", Entra, UpstreamClaims.From(claims, null)).Identity!;

        Assert.Null(identity.Email);
        Assert.False(identity.EmailVerified);
    }

    [Theory]
    [InlineData("11111111-2222-3333-4444-555555555555")]
    [InlineData("not-a-guid")]
    [InlineData(null)]
    public void Map_EntraOtherOrMissingTenant_Refused(string? tid)
    {
        var claims = new List<(string, string)> { ("sub", "s"), ("oid", "0b0e0000-0000-0000-0000-000000000001"), ("preferred_username", "alice@demo.test") };
        if (tid is not null)
        {
            claims.Add(("tid", tid));
        }

        var mapping = UpstreamProfileMapper.Map("demo", "primary", Entra, UpstreamClaims.From(Principal([.. claims]), null));

        Assert.Null(mapping.Identity);
        Assert.Contains("another Entra tenant", mapping.Refusal, StringComparison.Ordinal);
    }

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));
}
