using System.Diagnostics;
using System.Net;
using Continuity.Testing;
using Continuity.Testing.Story;
using Xunit.Abstractions;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.EndToEnd;

/// <summary>
/// The product as a user meets it, start to end: the built <c>continuity</c> executable as its own process, an
/// Entra-shaped primary and a Keycloak-shaped sovereign upstream (panva's oidc-provider, each a node process), two
/// Dovecots (LMTP in, IMAP with a master login), and ASP.NET Core's OpenIdConnect handler as the relying party.
/// Failover policy: suggest, two admins approve. Alice is cut off by the primary at its token endpoint and moves to
/// the sovereign side with her identity, mail and IMAP session; later the whole primary goes down and the tenant
/// moves; then everything comes back. Each step is asserted where it happens (see <see cref="StoryStep"/>).
/// </summary>
[Trait("Category", "Server")]
public sealed class ContinuityStoryTests(ITestOutputHelper output)
{
    /// <summary>Deadline of each wait: generous for two shared cores, far beyond what a step takes when it works.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Issue 15: an upstream outage gives the user the login page again within 5 s, with the other option.</summary>
    private static readonly TimeSpan OutageAnswer = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Story_CutOffThenOutageThenFailback_SameSubjectsMailOnceEachSide()
    {
        var clock = Stopwatch.StartNew();
        await using var story = await ContinuityStory.StartAsync();
        var world = story.World;
        var gateway = story.Gateway;
        var step = new StoryStep(output, clock, story);
        await step.RunAsync("probes see both upstreams", async () =>
        {
            await gateway.WaitIdentityProbeAsync("primary", up: true, Deadline);
            await gateway.WaitIdentityProbeAsync("sovereign", up: true, Deadline);
            Assert.Empty(await world.PendingAsync());
        });

        // 1. Everyone signs in through the primary; the relying party sees the gateway, not the upstream.
        var subjects = new Dictionary<string, string>(StringComparer.Ordinal);
        await step.RunAsync("alice, bob, carol sign in via the primary; refresh and userinfo work", async () =>
        {
            foreach (var user in StoryWorld.People)
            {
                var view = await story.SignInAsync(user);
                Assert.Equal(story.Issuer.AbsoluteUri, view.Issuer);
                Assert.Equal(user, view.Email);
                Assert.False(string.IsNullOrEmpty(view.Subject));
                Assert.NotEqual(ContinuityStory.PrimarySubject(user), view.Subject);
                Assert.NotEqual(ContinuityStory.SovereignSubject(user), view.Subject);
                subjects[user] = view.Subject!;

                Assert.False(string.IsNullOrEmpty(view.RefreshToken), $"{user}: the relying party got no refresh token (offline_access)");
                var (refreshStatus, refreshed) = await story.RefreshAsync(view.RefreshToken!);
                Assert.True(refreshStatus == HttpStatusCode.OK, $"refresh for {user}: {(int)refreshStatus} {refreshed}");
                var (infoStatus, info) = await story.UserInfoAsync(refreshed.GetProperty("access_token").GetString()!);
                Assert.True(infoStatus == HttpStatusCode.OK, $"userinfo for {user}: {(int)infoStatus} {info}");
                Assert.Equal(view.Subject, info.GetProperty("sub").GetString());
                Assert.Equal(user, info.GetProperty("email").GetString());
            }

            Assert.Equal(3, subjects.Values.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(StoryWorld.People, await story.Primary.LoginsAsync());
            Assert.Empty(await story.Sovereign.LoginsAsync());
        });

        // 2. Mail to alice (and bob) through the gateway's MX lands in the primary mailbox; sync keeps the copy.
        var m0 = StoryMail.NewMessageId("m0-alice");
        var b0 = StoryMail.NewMessageId("b0-bob");
        StoryImapSession? aliceImap = null;
        var alicePassword = await world.AppPasswordAsync(Alice);
        await step.RunAsync("M0 to alice through the MX lands in her primary mailbox, and is synced to the sovereign one", async () =>
        {
            await StoryMail.SendAsync(world.Config.SmtpPort, Alice, m0, "M0: hearing moved");
            await StoryMail.SendAsync(world.Config.SmtpPort, Bob, b0, "B0: for bob");
            await WaitCountAsync(world.PrimaryMail, Alice, m0, 1, "M0 in alice's primary mailbox");
            await WaitCountAsync(world.PrimaryMail, Bob, b0, 1, "B0 in bob's primary mailbox");
            await WaitCountAsync(world.SovereignMail, Alice, m0, 1, "M0 synced to alice's sovereign mailbox");
            aliceImap = await StoryImapSession.OpenAsync(world.Config.ImapPort, Alice, alicePassword);
            Assert.Equal(1, aliceImap.Exists);
        });
        using var openSession = aliceImap!;

        // 3. The primary cuts alice off at its token endpoint: a suggestion, approved by two admins.
        StoryApproval? suggestion = null;
        await step.RunAsync("the primary cuts alice off at the token endpoint; her sign-in raises a suggestion; two admins approve", async () =>
        {
            await story.Primary.CutOffAsync(Alice, "50057", OidcCutoffAt.Token);
            var refused = await story.AttemptSignInAsync(Alice);
            Assert.False(refused.Succeeded, $"alice was cut off, yet reached the relying party: {refused.Describe()}");
            Assert.True(refused.Page.Status != HttpStatusCode.InternalServerError, refused.Describe());
            Assert.Contains("value=\"sovereign\"", refused.Page.Body, StringComparison.Ordinal);
            suggestion = await world.WaitForSuggestionAsync(Alice, "sovereign", Deadline);
            Assert.Equal("primary", suggestion.From);
            Assert.Contains("50057", suggestion.Evidence ?? "", StringComparison.Ordinal);
            Assert.Equal("primary", (await gateway.RoutesAsync()).Resolve(Alice));
            await world.ApproveByBothAsync(suggestion.Id);
            Assert.Equal("sovereign", (await gateway.RoutesAsync()).Resolve(Alice));
        });

        // 4. Alice on the sovereign side: same identity, new mail there, her IMAP session moved, old mail present.
        var m1 = StoryMail.NewMessageId("m1-alice");
        await step.RunAsync("alice signs in via the sovereign upstream with the same sub and email; IMAP gets BYE; M0 and M1 are on sovereign", async () =>
        {
            var bye = await openSession.ReadUntilClosedAsync(Deadline);
            Assert.Contains(bye, l => l.StartsWith("* BYE", StringComparison.Ordinal));
            var view = await story.SignInAsync(Alice);
            Assert.Equal((story.Issuer.AbsoluteUri, subjects[Alice], Alice), (view.Issuer, view.Subject, view.Email));
            Assert.Equal([Alice], await story.Sovereign.LoginsAsync());
            await StoryMail.SendAsync(world.Config.SmtpPort, Alice, m1, "M1: after the switch");
            await WaitCountAsync(world.SovereignMail, Alice, m1, 1, "M1 in alice's sovereign mailbox");
            Assert.Equal(0, StoryMail.CountInMaildir(world.PrimaryMail, Alice, m1));
            using var again = await StoryImapSession.OpenAsync(world.Config.ImapPort, Alice, alicePassword);
            Assert.Equal(2, again.Exists);
            Assert.Equal(new[] { m0, m1 }.Order(StringComparer.Ordinal), (await StoryMail.MessageIdsAsync(world.SovereignMail, Alice)).Order(StringComparer.Ordinal));
        });

        // 5. Bob and carol saw nothing of it.
        await step.RunAsync("bob and carol are untouched", async () =>
        {
            var routes = await gateway.RoutesAsync();
            Assert.Equal(("primary", "primary"), (routes.Resolve(Bob), routes.Resolve(Carol)));
            foreach (var user in new[] { Bob, Carol })
            {
                var view = await story.SignInAsync(user);
                Assert.Equal((subjects[user], user), (view.Subject, view.Email));
            }

            Assert.Equal([Alice], await story.Sovereign.LoginsAsync());
            Assert.Empty(await world.PendingAsync());
        });

        // 6. The primary goes down: probes red, a tenant suggestion, the login page offers the sovereign side.
        var b1 = StoryMail.NewMessageId("b1-bob");
        await step.RunAsync("the primary answers 503 then resets: probes red, a tenant suggestion, the login page within 5 s with the sovereign option", async () =>
        {
            await story.Primary.SetOutageAsync(OidcOutage.ServiceUnavailable);
            await gateway.WaitIdentityProbeAsync("primary", up: false, Deadline);
            var tenantSuggestion = await world.WaitForSuggestionAsync(null, "sovereign", Deadline);
            Assert.Equal("primary", tenantSuggestion.From);
            await story.Primary.SetOutageAsync(OidcOutage.Reset);
            var attempt = await story.AttemptSignInAsync(Bob);
            Assert.False(attempt.Succeeded, attempt.Describe());
            Assert.True(attempt.Elapsed < OutageAnswer, $"the login page took {attempt.Elapsed.TotalSeconds:0.0} s with the primary down: {attempt.Describe()}");
            Assert.True(attempt.Page.Status != HttpStatusCode.InternalServerError, attempt.Describe()); // the login page (the gateway answers it as 503)
            Assert.Contains("value=\"sovereign\"", attempt.Page.Body, StringComparison.Ordinal);
            Assert.Contains("name=\"address\"", attempt.Page.Body, StringComparison.Ordinal);

            await world.ApproveByBothAsync(tenantSuggestion.Id);
            var bob = await story.SignInAsync(Bob);
            Assert.Equal((subjects[Bob], Bob), (bob.Subject, bob.Email));
            Assert.Equal([Alice, Bob], await story.Sovereign.LoginsAsync());
            await StoryMail.SendAsync(world.Config.SmtpPort, Bob, b1, "B1: during the outage");
            await WaitCountAsync(world.SovereignMail, Bob, b1, 1, "B1 in bob's sovereign mailbox");
        });

        // 7. Failback: the primary is back, routes go back, mail is once on each side, subjects unchanged.
        await step.RunAsync("failback: routes back, every message once on each side, everyone signs in via the primary with the same sub", async () =>
        {
            await story.Primary.SetOutageAsync(OidcOutage.None);
            await story.Primary.RestoreAsync(Alice);
            await gateway.WaitIdentityProbeAsync("primary", up: true, Deadline);
            await world.ChangeRouteByBothAsync(null, "primary", "primary restored");
            await world.ChangeRouteByBothAsync(Alice, "primary", "primary lifted the block");
            var routes = await gateway.RoutesAsync();
            Assert.All(StoryWorld.People, u => Assert.Equal("primary", routes.Resolve(u)));

            var expected = new Dictionary<string, string[]>(StringComparer.Ordinal) { [Alice] = [m0, m1], [Bob] = [b0, b1], [Carol] = [] };
            foreach (var (user, ids) in expected)
            {
                await WaitExactlyAsync(world.PrimaryMail, user, ids, "primary");
                await WaitExactlyAsync(world.SovereignMail, user, ids, "sovereign");
                await gateway.SyncNowAsync(user); // one more run in each direction must not copy anything again
                Assert.Equal(ids.Order(StringComparer.Ordinal), (await StoryMail.MessageIdsAsync(world.PrimaryMail, user)).Order(StringComparer.Ordinal));
                Assert.Equal(ids.Order(StringComparer.Ordinal), (await StoryMail.MessageIdsAsync(world.SovereignMail, user)).Order(StringComparer.Ordinal));
            }

            var before = (await story.Primary.LoginsAsync()).Count;
            foreach (var user in StoryWorld.People)
            {
                var view = await story.SignInAsync(user);
                Assert.Equal((story.Issuer.AbsoluteUri, subjects[user], user), (view.Issuer, view.Subject, view.Email));
            }

            Assert.Equal(StoryWorld.People, (await story.Primary.LoginsAsync()).Skip(before));
            Assert.Equal([Alice, Bob], await story.Sovereign.LoginsAsync());
        });

        output.WriteLine($"story done in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static Task WaitCountAsync(DovecotServer server, string user, string messageId, int count, string what) =>
        Eventually.TrueAsync(() => StoryMail.CountInMaildir(server, user, messageId) == count, Deadline, what);

    private static async Task WaitExactlyAsync(DovecotServer server, string user, string[] ids, string side)
    {
        IReadOnlyList<string> last = [];
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                last = await StoryMail.MessageIdsAsync(server, user);
                return last.Order(StringComparer.Ordinal).SequenceEqual(ids.Order(StringComparer.Ordinal), StringComparer.Ordinal);
            }, Deadline, $"{user}'s {side} mailbox holds exactly [{string.Join(", ", ids)}]");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; it holds [{string.Join(", ", last)}]", e);
        }
    }
}
