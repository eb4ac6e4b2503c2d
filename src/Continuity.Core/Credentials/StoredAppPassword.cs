namespace Continuity.Core.Credentials;

/// <summary>
/// One stored app password as read for a login, with the presented (normalized) password it is to be checked
/// against. Lives for one login only; never logged.
/// </summary>
internal sealed record StoredAppPassword(string User, string Id, string Key, byte[] Salt, byte[] Hash, int Iterations, string Presented)
{
    public override string ToString() => $"app password {Id} of {User}"; // never the hash or the presented password
}
