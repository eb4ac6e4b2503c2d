using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace Continuity.Core.Credentials;

/// <summary>
/// Remembers, on this node only, that a password matched a stored app password, so a client that logs in again
/// within <see cref="AppPasswordOptions.VerifiedCacheDuration"/> skips the KDF (Dovecot's auth cache and nginx's
/// auth_http set-ups do the same). An entry is an HMAC-SHA256, under a key drawn at random for this process, of the
/// user, the id, the stored record (salt, hash, iterations) and the presented password: the password is not kept,
/// and the entry means nothing once the record is deleted or replaced. Callers read the record from the store on
/// every login, so a revocation on any node takes effect at once. Only successes are added; the size is bounded by
/// <see cref="AppPasswordOptions.VerifiedCacheSize"/> (when full, expired entries are swept and, failing that, the
/// new entry is simply not kept).
/// </summary>
internal sealed class VerifiedPasswordCache(TimeProvider time)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<Digest, DateTimeOffset> _entries = new();
    private readonly Lock _sweep = new();

    public int Count => _entries.Count;

    /// <summary>True when this exact password was verified against this exact record less than its duration ago.</summary>
    public bool Contains(Digest digest)
    {
        if (!_entries.TryGetValue(digest, out var expires))
        {
            return false;
        }

        if (time.GetUtcNow() < expires)
        {
            return true;
        }

        _entries.TryRemove(KeyValuePair.Create(digest, expires));
        return false;
    }

    public void Add(Digest digest, TimeSpan duration, int maxEntries)
    {
        if (duration <= TimeSpan.Zero || maxEntries <= 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_entries.Count >= maxEntries && !_entries.ContainsKey(digest))
        {
            lock (_sweep)
            {
                foreach (var (key, expires) in _entries)
                {
                    if (expires <= now)
                    {
                        _entries.TryRemove(KeyValuePair.Create(key, expires));
                    }
                }
            }

            if (_entries.Count >= maxEntries)
            {
                return;
            }
        }

        _entries[digest] = now + duration;
    }

    /// <summary>The entry's key: HMAC-SHA256 of every input, each length-prefixed so no two inputs run together.</summary>
    public Digest DigestOf(string user, string id, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> hash, int iterations, string password)
    {
        var length = 4 * 6 + Encoding.UTF8.GetByteCount(user) + Encoding.UTF8.GetByteCount(id) + salt.Length + hash.Length + 4 + Encoding.UTF8.GetByteCount(password);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var at = 0;
            void Put(ReadOnlySpan<byte> part, byte[] into)
            {
                BitConverter.TryWriteBytes(into.AsSpan(at), part.Length);
                part.CopyTo(into.AsSpan(at + 4));
                at += 4 + part.Length;
            }

            Put(Encoding.UTF8.GetBytes(user), rented);
            Put(Encoding.UTF8.GetBytes(id), rented);
            Put(salt, rented);
            Put(hash, rented);
            Put(BitConverter.GetBytes(iterations), rented);
            Put(Encoding.UTF8.GetBytes(password), rented);
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(_key, rented.AsSpan(0, at), mac);
            return MemoryMarshal.Read<Digest>(mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>32 bytes of HMAC, compared as four words.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly record struct Digest(ulong A, ulong B, ulong C, ulong D);
}
