using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Continuity.Gateway.Tests.Support;
using Continuity.Testing;
using Xunit.Abstractions;
using static Continuity.Testing.GatewayConfig;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>
/// <c>DELETE /admin/api/queue/{id}</c> attacked on the built gateway (a child process): mail comes in over raw SMTP,
/// admin requests are built by hand, and the provider's backend is an LMTP server the test holds in the middle of a
/// delivery. Before 984df69 the deletion's <c>queue.deleted</c> audit record was written before the deletion was
/// tried, so every DELETE refused with 409 (the message was being delivered at that moment) was audited, and each of the
/// admin's retries audited it again: the trail said a message was deleted that was in fact delivered. Now the message is
/// held first, then recorded, then deleted. What must hold, whatever the interleaving: every answer is 200, 404 or 409
/// (never a 500); a message is either delivered exactly once or deleted (with exactly one record), never both and
/// never lost; an admin of another tenant learns nothing and changes nothing.
/// </summary>
[Trait("Category", "Server")]
public sealed class QueueDeletionAttackTests(ITestOutputHelper output)
{
    private const string TryLater = "451 4.3.0 mailbox busy, try again later";
    private const int Admins = 16;
    private const int RefusedBeforeRelease = 64;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30); // a ceiling for a loaded machine; the tests take a few seconds after the start

    [Theory]
    [InlineData(SlowLmtpBackend.Stored)]
    [InlineData(TryLater)]
    public async Task Delete_ManyAdminsWhileTheDeliveryIsInFlight_409UntilItEnds_AuditedOnlyIfDeleted_DeliveredOrDeletedOnce(string backendReply)
    {
        // Arrange: bob's message is being delivered: the backend has its body and holds the reply. Retries are a minute
        // apart, so once the held attempt ends only the admins touch the message.
        await using var bed = await QueueAttackBed.StartAsync(retryDelay: TimeSpan.FromMinutes(1));
        var stall = bed.Backend.StallNext();
        await bed.SendMailAsync(Bob, "race-" + Guid.NewGuid().ToString("N"));
        var id = (await stall.Reached.WaitAsync(Wait)).SpoolId;

        // Act: sixteen admin scripts (both operators) send DELETE at once and again at once on every 409, until they get
        // another answer; once the node has refused 64 of them, the backend answers the held delivery.
        var answers = new ConcurrentQueue<AdminAnswer>();
        var admins = Enumerable.Range(0, Admins).Select(i => Task.Run(() => Eventually.TrueAsync(async () =>
        {
            var answer = await bed.SendAsync(HttpMethod.Delete, $"admin/api/queue/{id}", i % 2 == 0 ? OpsKey : SecondAdminKey);
            answers.Enqueue(answer);
            return answer.Status != HttpStatusCode.Conflict;
        }, Wait, $"admin script {i}: DELETE {id} answered other than 409"))).ToList();
        await Eventually.TrueAsync(() => answers.Count >= RefusedBeforeRelease, Wait, $"{RefusedBeforeRelease} DELETEs answered while the delivery is held");
        List<AdminAnswer> whileHeld = [.. answers];
        stall.Release(backendReply);
        await Task.WhenAll(admins);

        List<AdminAnswer> all = [.. answers];
        var deleted = all.Count(a => a.Status == HttpStatusCode.OK);
        var records = await bed.DeletionRecordsAsync(id);
        var stored = bed.Backend.StoredCopies(id);
        var attempts = bed.Backend.Of(id).Count;
        var shown = await bed.ShowAsync(id);
        var listed = JsonNode.Parse((await bed.SendAsync(HttpMethod.Get, "admin/api/queue", OpsKey)).Text)!;
        output.WriteLine($"gateway started in {bed.StartedIn.TotalSeconds:0.0} s; {all.Count} answers: {string.Join(", ", all.CountBy(a => (int)a.Status).Select(s => $"{s.Value}× {s.Key}"))}; "
            + $"{records.Count} queue.deleted records; {stored} stored; {attempts} attempts");

        // Assert: while the delivery ran, every DELETE was refused as busy; nothing but 200/404/409 ever came back.
        Assert.All(whileHeld, a => Assert.True(a.Status == HttpStatusCode.Conflict, $"while held: {a}"));
        Assert.All(all, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Conflict, $"{a}\n{bed.Gateway.Describe()}"));
        Assert.All(all.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Contains("being delivered right now; try again", a.Text, StringComparison.Ordinal));
        Assert.All(all.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal("application/problem+json", a.MediaType));
        // At most one record, and exactly one when (and only when) a DELETE answered success.
        Assert.True(deleted <= 1, $"{deleted} DELETEs answered 200");
        Assert.True(records.Count == deleted, $"{records.Count} queue.deleted records for {deleted} deletion(s), the first: {records.FirstOrDefault()?.ToJsonString()}");
        // Delivered exactly once or deleted, never both, never lost; and which one follows from the backend's reply.
        Assert.Equal(1, stored + deleted);
        Assert.Equal(backendReply == SlowLmtpBackend.Stored ? (1, 0) : (0, 1), (stored, deleted));
        Assert.Equal(1, attempts);
        Assert.Null(shown);
        Assert.Equal(0, listed["count"]!.GetValue<int>());
        if (deleted == 1)
        {
            var record = Assert.Single(records);
            Assert.Contains(record["actor"]!.GetValue<string>(), new[] { "ops@demo.test", "second@demo.test" });
            Assert.Contains(Bob, record["details"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OtherTenantsAdmin_DeleteRetryShowThisTenantsMessage_SameAnswerAsAnUnknownId_NothingAuditedAndStillDelivered()
    {
        // Arrange: alice's message (tenant demo) is being delivered; the backend refuses everything for now.
        await using var bed = await QueueAttackBed.StartAsync(retryDelay: TimeSpan.FromMinutes(1));
        bed.Backend.Answer = _ => TryLater;
        var stall = bed.Backend.StallNext();
        await bed.SendMailAsync(Alice, "tenant-" + Guid.NewGuid().ToString("N"));
        var id = (await stall.Reached.WaitAsync(Wait)).SpoolId;
        var unknown = id[..13] + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)); // same shape, no such message

        // Act: tenant other's Operator tries the message's id and an unknown one, while it is being delivered and
        // while it waits for its next attempt.
        var inFlight = await ProbeAsync(bed, id, unknown);
        stall.Release(TryLater);
        await Eventually.TrueAsync(async () => (await bed.ShowAsync(id))?["recipients"]?[0]?["attempts"]?.GetValue<int>() == 1,
            Wait, "the refused attempt is recorded");
        var waiting = await ProbeAsync(bed, id, unknown);
        var malformed = new List<(string Id, AdminAnswer Answer)>();
        foreach (var bad in new[] { "x", new string('f', 2000), "..%2F..%2Fspool%2F" + id, id + "%00", "%E2%80%AE" + id, id.ToUpperInvariant(), id + "%20" })
        {
            malformed.Add((bad, await bed.SendAsync(HttpMethod.Delete, $"admin/api/queue/{bad}", QueueAttackBed.OtherKey)));
            malformed.Add((bad, await bed.SendAsync(HttpMethod.Delete, $"admin/api/queue/{bad}", OpsKey)));
        }

        var afterAttacks = await bed.ShowAsync(id);
        bed.Backend.Answer = _ => SlowLmtpBackend.Stored;
        var retried = await bed.SendAsync(HttpMethod.Post, $"admin/api/queue/{id}/retry", OpsKey); // alice's own admin
        await Eventually.TrueAsync(() => bed.Backend.StoredCopies(id) == 1, Wait, "alice's message is delivered after her admin's retry");
        await Eventually.TrueAsync(async () => await bed.ShowAsync(id) is null, Wait, "the delivered message leaves the queue");
        var demoAudit = await bed.AuditAsync(OpsKey);
        output.WriteLine($"gateway started in {bed.StartedIn.TotalSeconds:0.0} s");
        var otherAudit = await bed.AuditAsync(QueueAttackBed.OtherKey);

        // Assert: 404 with the very answer an unknown id gets (no existence oracle), in flight or not.
        foreach (var (request, attack, control) in inFlight.Concat(waiting))
        {
            Assert.True(attack.Status == HttpStatusCode.NotFound, $"{request}: {attack}");
            Assert.Equal(Shape(control, unknown), Shape(attack, id));
        }

        // Ids that are not ids (too long, traversal, bidi override, another case, padding): a clear 404, never a 500; a
        // NUL in the path is refused by Kestrel itself (400) before any endpoint runs.
        Assert.All(malformed, m => Assert.True(
            m.Id.Contains("%00", StringComparison.Ordinal)
                ? m.Answer.Status == HttpStatusCode.BadRequest
                : m.Answer.Status == HttpStatusCode.NotFound && m.Answer.MediaType == "application/problem+json",
            $"DELETE {m.Id[..Math.Min(40, m.Id.Length)]}: {m.Answer}"));

        // Nothing changed: the attempt count is the held one's, the other admin's retry started no attempt, and the
        // message went to alice once, after her own admin's retry.
        Assert.Equal("pending", afterAttacks!["recipients"]![0]!["state"]!.GetValue<string>());
        Assert.Equal(1, afterAttacks["recipients"]![0]!["attempts"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal(2, bed.Backend.Of(id).Count);
        Assert.Equal(1, bed.Backend.StoredCopies(id));
        Assert.Equal([Alice], bed.Backend.Of(id)[^1].Recipients);
        // Neither tenant's audit chain names the message.
        Assert.DoesNotContain(demoAudit, r => QueueAttackBed.Names(r!, id));
        Assert.DoesNotContain(otherAudit, r => QueueAttackBed.Names(r!, id));
    }

    [Fact]
    public async Task Delete_QueuedMessageNotInFlight_200AndOneRecord_NeverDeliveredPastItsNextRetry()
    {
        // Arrange: the backend refuses for now, so bob's two messages wait a second between attempts. Message m is the one
        // to delete; message c has the same schedule and shows when m's next retry has passed.
        var delay = TimeSpan.FromSeconds(1);
        await using var bed = await QueueAttackBed.StartAsync(retryDelay: delay);
        var acceptFrom = long.MaxValue; // UTC ticks: the backend stores what reaches it from then on
        bed.Backend.Answer = t => t.BodyAt.UtcTicks >= Interlocked.Read(ref acceptFrom) ? SlowLmtpBackend.Stored : TryLater;
        var markers = new[] { "delete-" + Guid.NewGuid().ToString("N"), "control-" + Guid.NewGuid().ToString("N") };
        foreach (var marker in markers)
        {
            await bed.SendMailAsync(Bob, marker);
        }

        await Eventually.TrueAsync(() => markers.All(m => bed.Backend.Transactions.Any(t => t.Reply is not null && t.Data.Contains(m, StringComparison.Ordinal))),
            Wait, "both messages were refused once");
        var ids = markers.Select(m => bed.Backend.Transactions.First(t => t.Data.Contains(m, StringComparison.Ordinal)).SpoolId).ToArray();
        var (m, c) = (ids[0], ids[1]);
        var before = await bed.ShowAsync(m);

        // Act: delete m between two attempts (an admin sends it again on a 409: an attempt may run at that instant).
        AdminAnswer delete = null!;
        var conflicts = 0;
        await Eventually.TrueAsync(async () =>
        {
            delete = await bed.SendAsync(HttpMethod.Delete, $"admin/api/queue/{m}", OpsKey);
            conflicts += delete.Status == HttpStatusCode.Conflict ? 1 : 0;
            return delete.Status != HttpStatusCode.Conflict;
        }, Wait, "the DELETE is answered other than 409");
        var deletedAt = DateTimeOffset.UtcNow;
        var attemptsAtDeletion = bed.Backend.Of(m).Count;
        // m's next attempt was due at most one delay after the deletion; the backend stores everything from a second
        // after that on, and c (still queued, retried every second) is stored by an attempt that started then.
        Interlocked.Exchange(ref acceptFrom, (deletedAt + delay + TimeSpan.FromSeconds(1)).UtcTicks);
        await Eventually.TrueAsync(() => bed.Backend.StoredCopies(c) == 1, Wait, "the control message is delivered, past m's next retry");
        var records = await bed.DeletionRecordsAsync(m);
        var shown = await bed.ShowAsync(m);
        var again = await bed.SendAsync(HttpMethod.Delete, $"admin/api/queue/{m}", OpsKey);
        output.WriteLine($"gateway started in {bed.StartedIn.TotalSeconds:0.0} s; {conflicts} × 409 before the deletion; m attempted {attemptsAtDeletion} times; c stored at {bed.Backend.Of(c)[^1].BodyAt:HH:mm:ss.fff}, deleted at {deletedAt:HH:mm:ss.fff}");

        // Assert
        Assert.Equal("pending", before!["recipients"]![0]!["state"]!.GetValue<string>());
        Assert.True(delete.Status == HttpStatusCode.OK, $"{delete}\n{bed.Gateway.Describe()}");
        var answer = JsonNode.Parse(delete.Text)!;
        Assert.Equal("deleted", answer["status"]!.GetValue<string>());
        Assert.Equal([Bob], answer["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        var record = Assert.Single(records);
        Assert.Equal("ops@demo.test", record["actor"]!.GetValue<string>());
        Assert.Equal(attemptsAtDeletion, bed.Backend.Of(m).Count); // not even tried again
        Assert.Equal(0, bed.Backend.StoredCopies(m));
        Assert.True(bed.Backend.Of(c)[^1].BodyAt.UtcTicks >= Interlocked.Read(ref acceptFrom));
        Assert.Null(shown);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Single(await bed.DeletionRecordsAsync(m));
    }

    /// <summary>Tenant other's Operator: DELETE, retry and show on <paramref name="id"/> and on <paramref name="unknown"/>.</summary>
    private static async Task<List<(string Request, AdminAnswer Attack, AdminAnswer Control)>> ProbeAsync(QueueAttackBed bed, string id, string unknown)
    {
        var requests = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Delete, "admin/api/queue/{0}"),
            (HttpMethod.Post, "admin/api/queue/{0}/retry"),
            (HttpMethod.Get, "admin/api/queue/{0}"),
        };
        var answers = new List<(string, AdminAnswer, AdminAnswer)>();
        foreach (var (method, path) in requests)
        {
            var attack = await bed.SendAsync(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, id), QueueAttackBed.OtherKey);
            var control = await bed.SendAsync(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, unknown), QueueAttackBed.OtherKey);
            answers.Add(($"{method} {path}", attack, control));
        }

        return answers;
    }

    /// <summary>Status, media type and body with the id replaced (and the per-request trace id dropped).</summary>
    private static string Shape(AdminAnswer answer, string id)
    {
        var text = answer.Text.Replace(id, "{id}", StringComparison.Ordinal);
        if (answer.MediaType?.EndsWith("json", StringComparison.Ordinal) == true && JsonNode.Parse(text) is JsonObject json)
        {
            json.Remove("traceId");
            text = json.ToJsonString();
        }

        return $"{(int)answer.Status} {answer.MediaType} {text}";
    }
}
