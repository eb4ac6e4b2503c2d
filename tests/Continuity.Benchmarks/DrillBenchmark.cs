using System.Diagnostics;
using System.Globalization;
using Continuity.Testing;
using Continuity.Testing.Story;

namespace Continuity.Benchmarks;

/// <summary>
/// <c>-- drill</c>: the failover part of the continuity story (the end-to-end test's world: the gateway executable,
/// oidc-provider as Entra-shaped primary and Keycloak-shaped sovereign upstream, two Dovecots, ASP.NET Core's
/// OpenIdConnect handler as relying party), timed. Each of alice, bob and carol in turn: signed in on the primary,
/// mail synced, an IMAP session open through the gateway; the primary refuses them at its token endpoint; the
/// suggestion appears; two admins approve. From the second approval's answer, at the same time: the user signs in
/// again (until it succeeds, through the sovereign upstream, same <c>sub</c>), a correspondent sends a message (until
/// it is in the sovereign Maildir), the mail client reconnects after its <c>BYE</c> (until LOGIN and SELECT succeed).
/// Figures are medians over the three users; no peer (there is no other product doing this to compare with).
/// </summary>
internal static class DrillBenchmark
{
    public const string Verb = "drill";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(TextWriter figures, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        await using var story = await ContinuityStory.StartAsync().ConfigureAwait(false);
        log.WriteLine($"# story world started in {clock.Elapsed.TotalSeconds:0.0} s: gateway {story.Issuer}, primary {story.Primary.Issuer}, sovereign {story.Sovereign.Issuer}");
        await story.Gateway.WaitIdentityProbeAsync("primary", up: true, Deadline).ConfigureAwait(false);
        await story.Gateway.WaitIdentityProbeAsync("sovereign", up: true, Deadline).ConfigureAwait(false);

        // Warm-up: everyone signs in once through each upstream (the visible "sign in with <sovereign>" button, no route
        // change): the accounts are linked on both sides, as a readiness check wants, and no figure pays for a cold path.
        var subjects = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in StoryWorld.People)
        {
            subjects[user] = (await story.SignInAsync(user).ConfigureAwait(false)).Subject!;
            var viaSovereign = await story.SignInAsync(user, "sovereign").ConfigureAwait(false);
            if (viaSovereign.Subject != subjects[user])
            {
                throw new InvalidOperationException($"{user} got sub {viaSovereign.Subject} through the sovereign upstream, {subjects[user]} through the primary");
            }
        }

        var rounds = new List<DrillRound>();
        foreach (var user in StoryWorld.People)
        {
            var round = await RoundAsync(story, user, subjects[user]).ConfigureAwait(false);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {user}: refused sign-in took {round.RefusedSignIn.TotalSeconds:0.000} s; suggestion visible {round.Suggestion.TotalSeconds:0.000} s after its answer; " +
                $"after approval: sign-in {round.SignIn.TotalSeconds:0.000} s ({round.SignInAttempts} attempt(s), the last {round.LastSignIn.TotalSeconds:0.000} s), " +
                $"mail {round.Mail.TotalSeconds:0.000} s, IMAP {round.Imap.TotalSeconds:0.000} s ({round.ImapAttempts} attempt(s))"));
            rounds.Add(round);
        }

        Write(figures, log, "drill approval → first sovereign sign-in", rounds.Select(r => r.SignIn));
        Write(figures, log, "drill approval → mail in sovereign mailbox", rounds.Select(r => r.Mail));
        Write(figures, log, "drill approval → IMAP reconnect on sovereign", rounds.Select(r => r.Imap));
        Write(figures, log, "drill refused sign-in → suggestion visible", rounds.Select(r => r.Suggestion));
        log.WriteLine($"# goal: ≤ 1 s from approval to each of sign-in, mail and IMAP; whole drill {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    private static async Task<DrillRound> RoundAsync(ContinuityStory story, string user, string subject)
    {
        var world = story.World;
        var before = StoryMail.NewMessageId("drill-before");
        await StoryMail.SendAsync(world.Config.SmtpPort, user, before, "before the cut-off").ConfigureAwait(false);
        await Eventually.TrueAsync(() => StoryMail.CountInMaildir(world.SovereignMail, user, before) == 1, Deadline, $"{user}'s mail synced to the sovereign mailbox").ConfigureAwait(false);
        var password = await world.AppPasswordAsync(user).ConfigureAwait(false);
        using var session = await StoryImapSession.OpenAsync(world.Config.ImapPort, user, password).ConfigureAwait(false);

        await story.Primary.CutOffAsync(user, "50057", OidcCutoffAt.Token).ConfigureAwait(false);
        var refused = await story.AttemptSignInAsync(user).ConfigureAwait(false);
        var refusedAt = Stopwatch.GetTimestamp();
        if (refused.Succeeded)
        {
            throw new InvalidOperationException($"{user} was cut off at the primary's token endpoint, yet signed in: {refused.Describe()}");
        }

        var suggestion = await world.WaitForSuggestionAsync(user, "sovereign", Deadline).ConfigureAwait(false);
        var suggestionSeen = Stopwatch.GetElapsedTime(refusedAt);
        if (await world.ApproveAsync(suggestion.Id, world.Ops).ConfigureAwait(false) != "Pending")
        {
            throw new InvalidOperationException($"one approval applied {suggestion}: the two-person rule did not hold");
        }

        var approval = await world.ApproveAsync(suggestion.Id, world.SecondAdmin).ConfigureAwait(false);
        var approvedAt = Stopwatch.GetTimestamp();
        if (approval != "Applied")
        {
            throw new InvalidOperationException($"the second approval left {suggestion.Id} {approval}");
        }

        var signIn = SignInAsync(story, user, subject, approvedAt);
        var mail = MailAsync(world, user, approvedAt);
        var imap = ImapAsync(world, session, user, password, approvedAt);
        await Task.WhenAll(signIn, mail, imap).ConfigureAwait(false);
        var (signInTime, attempts, last) = await signIn.ConfigureAwait(false);
        var (imapTime, imapAttempts) = await imap.ConfigureAwait(false);
        return new DrillRound(refused.Elapsed, suggestionSeen, signInTime, attempts, last, await mail.ConfigureAwait(false), imapTime, imapAttempts);
    }

    private static async Task<(TimeSpan Elapsed, int Attempts, TimeSpan Last)> SignInAsync(ContinuityStory story, string user, string subject, long approvedAt)
    {
        for (var attempt = 1; ; attempt++)
        {
            var signIn = await story.AttemptSignInAsync(user).ConfigureAwait(false);
            if (signIn.Succeeded)
            {
                var elapsed = Stopwatch.GetElapsedTime(approvedAt);
                return signIn.View!.Subject == subject
                    ? (elapsed, attempt, signIn.Elapsed)
                    : throw new InvalidOperationException($"{user} signed in after the failover with sub {signIn.View.Subject}, not {subject}");
            }

            if (Stopwatch.GetElapsedTime(approvedAt) > Deadline)
            {
                throw new TimeoutException($"{user} could not sign in within {Deadline.TotalSeconds:0} s of the approval: {signIn.Describe()}");
            }
        }
    }

    private static async Task<TimeSpan> MailAsync(StoryWorld world, string user, long approvedAt)
    {
        var id = StoryMail.NewMessageId("drill-after");
        await StoryMail.SendAsync(world.Config.SmtpPort, user, id, "after the approval").ConfigureAwait(false);
        await Eventually.TrueAsync(() => StoryMail.CountInMaildir(world.SovereignMail, user, id) == 1, Deadline, $"mail to {user} in the sovereign mailbox").ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(approvedAt);
    }

    private static async Task<(TimeSpan Elapsed, int Attempts)> ImapAsync(StoryWorld world, StoryImapSession session, string user, string password, long approvedAt)
    {
        await session.ReadUntilClosedAsync(Deadline).ConfigureAwait(false); // the BYE
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var again = await StoryImapSession.OpenAsync(world.Config.ImapPort, user, password).ConfigureAwait(false);
                if (again.Exists >= 1)
                {
                    return (Stopwatch.GetElapsedTime(approvedAt), attempt);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException && Stopwatch.GetElapsedTime(approvedAt) < Deadline)
            {
                // The proxy refused the login or closed the session: the mail client tries again.
            }

            if (Stopwatch.GetElapsedTime(approvedAt) > Deadline)
            {
                throw new TimeoutException($"{user}'s mail client found no sovereign mailbox within {Deadline.TotalSeconds:0} s of the approval");
            }
        }
    }

    private static void Write(TextWriter figures, TextWriter log, string name, IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Select(s => s.TotalSeconds).Order().ToList();
        figures.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}, median of {sorted.Count}: {Percentiles.Of(sorted, 50):0.000} s"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {name}: {string.Join(" | ", sorted.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))} s"));
    }

    private sealed record DrillRound(
        TimeSpan RefusedSignIn, TimeSpan Suggestion, TimeSpan SignIn, int SignInAttempts, TimeSpan LastSignIn, TimeSpan Mail, TimeSpan Imap, int ImapAttempts);
}
