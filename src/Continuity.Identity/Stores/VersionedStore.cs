using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

namespace Continuity.Identity.Stores;

/// <summary>
/// The skeleton of an OpenIddict store on <see cref="VersionedEntries"/>: entries by id and by index, revocation that
/// retries on a concurrent update, the accessors common to tokens and authorizations, and the LINQ entry points a
/// key-value store cannot serve. A store adds its key layout, its indexes and its writes.
/// </summary>
internal abstract class VersionedStore<TEntry>(VersionedEntries entries, JsonTypeInfo<TEntry> json, string served)
    where TEntry : class, IVersionedEntry, new()
{
    protected VersionedEntries Entries => entries;

    /// <summary>The key of the entry <paramref name="id"/>.</summary>
    protected abstract string KeyOf(string id);

    /// <summary>The index keys that list <paramref name="entry"/>.</summary>
    protected abstract List<string> IndexesOf(TEntry entry);

    public abstract ValueTask UpdateAsync(TEntry entry, CancellationToken cancellationToken);

    public async ValueTask DeleteAsync(TEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await entries.DeleteAsync(KeyOf(entry.Id!), entry.Id!, IndexesOf(entry), cancellationToken);
    }

    public async ValueTask<TEntry?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        await entries.GetAsync(KeyOf(identifier), cancellationToken) is { } found ? Deserialize(found.Json, found.Version) : null;

    // The members below implement OpenIddict's store interfaces through the derived stores: instance members by contract.
#pragma warning disable CA1822
    /// <summary>Entries expire by TTL: nothing to prune.</summary>
    public ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken) => ValueTask.FromResult(0L);

    public ValueTask<TEntry> InstantiateAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new TEntry());

    public ValueTask<string?> GetIdAsync(TEntry entry, CancellationToken cancellationToken) => new(entry.Id);

    public ValueTask<string?> GetApplicationIdAsync(TEntry entry, CancellationToken cancellationToken) => new(entry.ApplicationId);

    public ValueTask<DateTimeOffset?> GetCreationDateAsync(TEntry entry, CancellationToken cancellationToken) => new(entry.CreationDate);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(TEntry entry, CancellationToken cancellationToken) => new(StoreJson.ReadProperties(entry.Properties));

    public ValueTask<string?> GetStatusAsync(TEntry entry, CancellationToken cancellationToken) => new(entry.Status);

    public ValueTask<string?> GetSubjectAsync(TEntry entry, CancellationToken cancellationToken) => new(entry.Subject);

    public ValueTask<string?> GetTypeAsync(TEntry entry, CancellationToken cancellationToken) => new(entry.Type);

    public ValueTask SetApplicationIdAsync(TEntry entry, string? identifier, CancellationToken cancellationToken) => Set(() => entry.ApplicationId = identifier);

    public ValueTask SetCreationDateAsync(TEntry entry, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => entry.CreationDate = date);

    public ValueTask SetPropertiesAsync(TEntry entry, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        Set(() => entry.Properties = StoreJson.WriteProperties(properties));

    public ValueTask SetStatusAsync(TEntry entry, string? status, CancellationToken cancellationToken) => Set(() => entry.Status = status);

    public ValueTask SetSubjectAsync(TEntry entry, string? subject, CancellationToken cancellationToken) => Set(() => entry.Subject = subject);

    public ValueTask SetTypeAsync(TEntry entry, string? type, CancellationToken cancellationToken) => Set(() => entry.Type = type);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => throw NoScan();

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<TEntry>, IQueryable<TResult>> query, CancellationToken cancellationToken) => throw NoScan();

    public ValueTask<TResult?> GetAsync<TState, TResult>(Func<IQueryable<TEntry>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) => throw NoScan();

    public IAsyncEnumerable<TEntry> ListAsync(int? count, int? offset, CancellationToken cancellationToken) => throw NoScan();

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(Func<IQueryable<TEntry>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) => throw NoScan();

#pragma warning restore CA1822

    internal static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    protected static ValueTask Set(Action assign)
    {
        ArgumentNullException.ThrowIfNull(assign);
        assign();
        return default;
    }

    protected string Serialize(TEntry entry) => JsonSerializer.Serialize(entry, json);

    protected TEntry Deserialize(string text, long version)
    {
        var entry = JsonSerializer.Deserialize(text, json)!;
        entry.Version = version;
        return entry;
    }

    /// <summary>The entries listed in <paramref name="index"/> that pass <paramref name="filter"/>.</summary>
    protected async IAsyncEnumerable<TEntry> FromIndexAsync(string index, Func<TEntry, bool> filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (_, text, version) in await entries.GetManyAsync(index, KeyOf, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = Deserialize(text, version);
            if (filter(entry))
            {
                yield return entry;
            }
        }
    }

    /// <summary>Marks each entry revoked; an entry another request changed meanwhile is read again and revoked then.</summary>
    protected async ValueTask<long> RevokeAllAsync(IAsyncEnumerable<TEntry> found, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var entry in found.WithCancellation(cancellationToken))
        {
            for (var current = entry; current is not null && current.Status != OpenIddictConstants.Statuses.Revoked;)
            {
                current.Status = OpenIddictConstants.Statuses.Revoked;
                try
                {
                    await UpdateAsync(current, cancellationToken);
                    count++;
                    break;
                }
                catch (OpenIddictExceptions.ConcurrencyException)
                {
                    current = await FindByIdAsync(entry.Id!, cancellationToken);
                }
            }
        }

        return count;
    }

    private NotSupportedException NoScan() => new($"The state store serves {served} only.");
}
