using Continuity.Core.Configuration;
using Continuity.Identity.Configuration;
using Continuity.Identity.Keys;
using Continuity.Identity.Tests.Support;
using Continuity.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Continuity.Identity.Tests.Configuration;

public sealed class KeyRingTests
{
    [Fact]
    public void Load_NoKeyFiles_DevelopmentKeysGeneratedOnceAndReused()
    {
        using var dir = new TempDirectory("keys");
        var core = Options.Create(new ContinuityOptions { DataDir = dir.Path });

        var first = new KeyRing(Options.Create(new IdentityOptions()), core, NullLogger<KeyRing>.Instance);
        var second = new KeyRing(Options.Create(new IdentityOptions()), core, NullLogger<KeyRing>.Instance);

        Assert.Equal(first.Signing[0].KeyId, second.Signing[0].KeyId);
        Assert.NotEqual(first.Signing[0].KeyId, first.Encryption[0].KeyId);
        Assert.True(File.Exists(Path.Combine(dir.Path, "keys", "signing.pem")));
    }

    [Fact]
    public void Load_TwoSigningFiles_ActiveFirstAndSameIdsOnEveryLoad()
    {
        using var dir = new TempDirectory("keys");
        var (signing, encryption, next) = TestKeys.WriteTo(dir.Path);
        var options = Options.Create(new IdentityOptions
        {
            Keys = new IdentityKeysOptions { Signing = [new() { Path = signing }, new() { Path = next }], Encryption = [new() { Path = encryption }] },
        });

        var ring = new KeyRing(options, Options.Create(new ContinuityOptions { DataDir = dir.Path }), NullLogger<KeyRing>.Instance);

        Assert.Equal(2, ring.Signing.Count);
        Assert.Equal(KeyRing.LoadFile(new KeyFileOptions { Path = signing }).KeyId, ring.Signing[0].KeyId);
        Assert.IsType<RsaSecurityKey>(ring.Encryption[0]);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "keys")));
    }
}
