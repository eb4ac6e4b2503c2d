namespace Continuity.Core.Credentials;

/// <summary>
/// One stored app password as read for a login (<see cref="AppPasswordStore.FindAsync"/>), with the presented
/// (normalized) password it is to be checked against (<see cref="AppPasswordStore.Check"/>). Opaque outside Core: it
/// carries a hash and a password, so only the store reads it. Lives for one login only; never logged.
/// </summary>
public sealed class StoredAppPassword
{
    internal StoredAppPassword(string user, string id, string key, byte[] salt, byte[] hash, int iterations, string presented)
    {
        User = user;
        Id = id;
        Key = key;
        Salt = salt;
        Hash = hash;
        Iterations = iterations;
        Presented = presented;
    }

    internal string User { get; }

    internal string Id { get; }

    internal string Key { get; }

    internal byte[] Salt { get; }

    internal byte[] Hash { get; }

    internal int Iterations { get; }

    internal string Presented { get; }

    public override string ToString() => $"app password {Id} of {User}"; // never the hash or the presented password
}
