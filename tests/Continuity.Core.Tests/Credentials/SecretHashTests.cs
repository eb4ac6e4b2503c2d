using Continuity.Core.Credentials;

namespace Continuity.Core.Tests.Credentials;

public sealed class SecretHashTests
{
    [Fact]
    public void Of_Secret_Sha256OfUtf8InLowerCaseHex()
    {
        // echo -n 'abc' | sha256sum
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecretHash.Of("abc"));
    }

    [Fact]
    public void Matches_RightAndWrongSecret_OnlyTheRightOneMatches()
    {
        var hash = SecretHash.Of("cty_right-key");

        Assert.True(SecretHash.Matches("cty_right-key", hash));
        Assert.False(SecretHash.Matches("cty_wrong-key", hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    [InlineData("sha256:zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Matches_MalformedHash_FalseWithoutThrowing(string hash)
    {
        Assert.False(SecretHash.IsWellFormed(hash));
        Assert.False(SecretHash.Matches("abc", hash));
    }
}
