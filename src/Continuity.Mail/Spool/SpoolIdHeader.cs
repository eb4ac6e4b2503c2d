namespace Continuity.Mail.Spool;

/// <summary>
/// <c>X-Continuity-Spool-Id: &lt;spool id&gt;</c>, written by the MX at the top of every spooled message (after its
/// <c>Received:</c>), so every copy delivered from one spool file (the main delivery, the continuity copy, a delivery
/// repeated after a crash) carries it. Recovery searches a mailbox for it (<see cref="Delivery.DeliveredCopyFinder"/>)
/// and mailbox sync matches copies by it (<see cref="Sync.MessageKey"/>). Spool ids hold 40 random bits and are
/// made after DATA, so a sender cannot put the id of a message it has not yet sent into its own.
/// </summary>
internal static class SpoolIdHeader
{
    public const string Name = "X-Continuity-Spool-Id";

    public static byte[] Line(string spoolId) => Encoding.ASCII.GetBytes($"{Name}: {spoolId}\r\n");
}
