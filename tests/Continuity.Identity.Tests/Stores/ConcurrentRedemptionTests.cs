using System.Net;
using Continuity.Identity.Stores;
using Continuity.Identity.Tests.Support;
using OpenIddict.Abstractions;
using static Continuity.Identity.Tests.Support.OidcProtocol;

namespace Continuity.Identity.Tests.Stores;

/// <summary>
/// One code or refresh token sent many times at once to two gateway nodes on one redis-server: the
/// state store's compare-and-set lets exactly one request through; every other one gets <c>invalid_grant</c>
/// and no token is made for it (counted in the store, not only in the replies).
/// </summary>
[Trait("Category", "Server")]
public sealed class ConcurrentRedemptionTests : IAsyncLifetime
{
    private const string Native = IdentityWorld.NativeClientId;
    private const string Redirect = IdentityWorld.NativeRedirect;
    private const int PerNode = 8;
    private IdentityWorld _world = null!;
    private InProcessGateway _b = null!;

    public async Task InitializeAsync()
    {
        _world = await IdentityWorld.StartAsync(withRelyingParty: false);
        _b = await _world.StartNodeBAsync();
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task RefreshToken_RedeemedConcurrentlyAtBothNodes_ExactlyOneSuccessNoTokensForLosers()
    {
        for (var round = 0; round < 3; round++)
        {
            var (code, verifier) = await CodeAsync(_world, "alice@demo.test", Native, Redirect);
            var issued = await RedeemAsync(_world.A.BaseAddress, code, verifier, Native, Redirect);
            var subject = Payload(issued.IdToken!).GetProperty("sub").GetString()!;
            var before = await TokenIdsAsync(subject);

            var replies = await RaceAsync(node => RefreshAsync(node, issued.RefreshToken!, Native));

            AssertOneWinner(replies);
            await AssertOneOfEachTypeCreatedAsync(subject, before);
        }
    }

    [Fact]
    public async Task Code_RedeemedConcurrentlyAtBothNodes_ExactlyOneSuccessNoTokensForLosers()
    {
        for (var round = 0; round < 3; round++)
        {
            var (code, verifier) = await CodeAsync(_world, "bob@demo.test", Native, Redirect);
            var subject = await SubjectOfAsync("bob@demo.test");
            var before = await TokenIdsAsync(subject);

            var replies = await RaceAsync(node => RedeemAsync(node, code, verifier, Native, Redirect));

            AssertOneWinner(replies);
            await AssertOneOfEachTypeCreatedAsync(subject, before);
        }
    }

    [Fact]
    public async Task RefreshToken_RotatedThenOldOneRacedWithNewOne_OldRefusedEverywhere()
    {
        var (code, verifier) = await CodeAsync(_world, "alice@demo.test", Native, Redirect);
        var issued = await RedeemAsync(_world.A.BaseAddress, code, verifier, Native, Redirect);
        var rotated = await RefreshAsync(_b.BaseAddress, issued.RefreshToken!, Native);

        var replies = await RaceAsync(node => RefreshAsync(node, issued.RefreshToken!, Native));

        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        Assert.All(replies, r => Assert.Equal("invalid_grant", r.Error));
        Assert.All(replies, r => Assert.Null(r.AccessToken));
    }

    /// <summary>Sends <see cref="PerNode"/> requests to each node, all released at the same instant.</summary>
    private async Task<TokenReply[]> RaceAsync(Func<Uri, Task<TokenReply>> send)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, PerNode * 2)
            .Select(async i =>
            {
                await start.Task;
                return await send(i % 2 == 0 ? _world.A.BaseAddress : _b.BaseAddress);
            })
            .ToList();
        start.SetResult();
        return await Task.WhenAll(requests);
    }

    private static void AssertOneWinner(TokenReply[] replies)
    {
        var winner = Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.NotNull(winner.AccessToken);
        var losers = replies.Where(r => r != winner).ToList();
        Assert.Equal(PerNode * 2 - 1, losers.Count);
        Assert.All(losers, r => Assert.Equal("invalid_grant", r.Error));
        Assert.All(losers, r => Assert.True(r.AccessToken is null && r.RefreshToken is null && r.IdToken is null, r.Body));
    }

    /// <summary>The race made the tokens of one response (one entry per type) and nothing for the losers.</summary>
    private async Task AssertOneOfEachTypeCreatedAsync(string subject, HashSet<string> before)
    {
        var store = _world.A.Get<IOpenIddictTokenStore<IdentityToken>>();
        var created = new List<IdentityToken>();
        await foreach (var token in store.FindBySubjectAsync(subject, CancellationToken.None))
        {
            if (!before.Contains(token.Id!))
            {
                created.Add(token);
            }
        }

        Assert.Contains(created, t => t.Type == OpenIddictConstants.TokenTypeIdentifiers.RefreshToken);
        Assert.All(created.GroupBy(t => t.Type), g => Assert.True(g.Count() == 1, $"{g.Count()} new {g.Key} entries"));
    }

    private async Task<HashSet<string>> TokenIdsAsync(string subject)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var token in _world.A.Get<IOpenIddictTokenStore<IdentityToken>>().FindBySubjectAsync(subject, CancellationToken.None))
        {
            ids.Add(token.Id!);
        }

        return ids;
    }

    private async Task<string> SubjectOfAsync(string email) =>
        (await _world.A.Get<Continuity.Identity.Accounts.AccountStore>().FindByEmailAsync("demo", email))!.Id;
}
