namespace Continuity.Mail.Sync;

/// <summary>
/// Destination messages this sync did not make, by <see cref="MessageKey"/>: a source message with the same key claims
/// one instead of being copied again. Tracks which keys changed so the forward sync can persist them.
/// </summary>
internal sealed class ForeignIndex(Dictionary<string, List<uint>> entries)
{
    private readonly Dictionary<string, List<uint>> _entries = entries;

    public HashSet<string> Changed { get; } = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public void Add(string key, uint uid)
    {
        if (!_entries.TryGetValue(key, out var uids))
        {
            _entries[key] = uids = [];
        }

        if (!uids.Contains(uid))
        {
            uids.Add(uid);
            Changed.Add(key);
        }
    }

    /// <summary>Takes the lowest unclaimed destination UID with this key.</summary>
    public bool TryClaim(string key, out uint uid)
    {
        uid = 0;
        if (!_entries.TryGetValue(key, out var uids) || uids.Count == 0)
        {
            return false;
        }

        uids.Sort();
        uid = uids[0];
        uids.RemoveAt(0);
        Changed.Add(key);
        return true;
    }

    /// <summary>Moves the changed keys (an empty list means removed) into <paramref name="update"/>.</summary>
    public void DrainInto(CheckpointUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        foreach (var key in Changed)
        {
            update.Foreign[key] = _entries.TryGetValue(key, out var uids) ? [.. uids] : [];
        }

        Changed.Clear();
    }
}
