using System.Net;
using Continuity.Identity.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Continuity.Identity.Tests.Support.OidcProtocol;

namespace Continuity.Identity.Tests.Server;

/// <summary>
/// An operator who sets <c>Lifetimes:RefreshTokenReuseLeeway</c> (zero by default) gets what it says on
/// every node: a rotated refresh token may be used again until the leeway ends, then it is refused.
/// </summary>
[Trait("Category", "Server")]
public sealed class ReuseLeewayTests
{
    [Fact]
    public async Task Refresh_ConfiguredLeeway_ReusableAtOtherNodeWithinItRefusedAfter()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await IdentityWorld.StartAsync(withRelyingParty: false, time: time,
            settings: new Dictionary<string, string?> { ["Continuity:Identity:Lifetimes:RefreshTokenReuseLeeway"] = "00:00:30" });
        var b = await world.StartNodeBAsync();
        var (code, verifier) = await CodeAsync(world, "alice@demo.test", IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect);
        var issued = await RedeemAsync(world.A.BaseAddress, code, verifier, IdentityWorld.NativeClientId, IdentityWorld.NativeRedirect);

        var rotated = await RefreshAsync(world.A.BaseAddress, issued.RefreshToken!, IdentityWorld.NativeClientId);
        time.Advance(TimeSpan.FromSeconds(20));
        var withinLeeway = await RefreshAsync(b.BaseAddress, issued.RefreshToken!, IdentityWorld.NativeClientId);
        time.Advance(TimeSpan.FromSeconds(11));
        var afterLeeway = await RefreshAsync(world.A.BaseAddress, issued.RefreshToken!, IdentityWorld.NativeClientId);

        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        Assert.Equal(HttpStatusCode.OK, withinLeeway.Status);
        Assert.NotNull(withinLeeway.AccessToken);
        Assert.Equal("invalid_grant", afterLeeway.Error);
        Assert.Null(afterLeeway.AccessToken);
    }
}
