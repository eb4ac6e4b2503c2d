using Continuity.Identity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace Continuity.Identity.Tests.Stores;

/// <summary>The token store under OpenIddict's own manager, against a real redis-server.</summary>
[Trait("Category", "Server")]
public sealed class RedisTokenStoreTests : IAsyncLifetime
{
    private IdentityWorld _world = null!;

    public async Task InitializeAsync() => _world = await IdentityWorld.StartAsync(withRelyingParty: false);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task TryRedeem_TwoCopiesReadBeforeEitherWrites_OnlyFirstSucceeds()
    {
        using var scope = _world.A.Services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var created = await tokens.CreateAsync(new OpenIddictTokenDescriptor
        {
            Type = OpenIddictConstants.TokenTypes.Bearer,
            Status = OpenIddictConstants.Statuses.Valid,
            Subject = "acc-1",
            ApplicationId = "native",
            ExpirationDate = DateTimeOffset.UtcNow.AddMinutes(2),
        });
        var id = await tokens.GetIdAsync(created);
        var first = await tokens.FindByIdAsync(id!);
        var second = await tokens.FindByIdAsync(id!);

        var won = await tokens.TryRedeemAsync(first!);
        var lost = await tokens.TryRedeemAsync(second!);

        Assert.True(won);
        Assert.False(lost);
        Assert.True(await tokens.HasStatusAsync((await tokens.FindByIdAsync(id!))!, OpenIddictConstants.Statuses.Redeemed));
    }

    [Fact]
    public async Task FindBySubject_IndexSet_ReturnsLiveTokensOnly()
    {
        using var scope = _world.A.Services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var kept = await tokens.CreateAsync(new OpenIddictTokenDescriptor { Type = "refresh_token", Status = "valid", Subject = "acc-2", ExpirationDate = DateTimeOffset.UtcNow.AddHours(1) });
        var deleted = await tokens.CreateAsync(new OpenIddictTokenDescriptor { Type = "refresh_token", Status = "valid", Subject = "acc-2", ExpirationDate = DateTimeOffset.UtcNow.AddHours(1) });
        await tokens.DeleteAsync(deleted);

        var found = new List<object>();
        await foreach (var token in tokens.FindBySubjectAsync("acc-2"))
        {
            found.Add(token);
        }

        var ids = await Task.WhenAll(found.Select(async t => await tokens.GetIdAsync(t) ?? ""));
        Assert.Equal([await tokens.GetIdAsync(kept) ?? "?"], ids);
        Assert.Equal(1, await tokens.RevokeBySubjectAsync("acc-2"));
    }
}
