namespace Continuity.Core.Routing;

/// <summary>
/// The node's current routes: one volatile reference to an immutable <see cref="RouteSnapshot"/>.
/// Readers (every HTTP request, SMTP recipient, IMAP login) call <see cref="Resolve"/>; the
/// <see cref="RouteSnapshotService"/> swaps in newer snapshots.
/// </summary>
public sealed class RouteTable
{
    private RouteSnapshot _current = RouteSnapshot.Empty;

    /// <summary>Raised after a newer snapshot was swapped in, with the old and the new one.</summary>
    public event Action<RouteSnapshot, RouteSnapshot>? Changed;

    public RouteSnapshot Current => Volatile.Read(ref _current);

    /// <summary>True once a snapshot was loaded from the store or from the node's disk copy.</summary>
    public bool IsLoaded => !ReferenceEquals(Current, RouteSnapshot.Empty);

    /// <inheritdoc cref="RouteSnapshot.Resolve"/>
    public string? Resolve(string tenant, string? user) => Current.Resolve(tenant, user);

    /// <summary>
    /// Swaps in <paramref name="next"/> unless the table already holds a newer version.
    /// Equal versions replace too, so a store that was reset (version back to 0) is still followed
    /// by a full reload. Returns true when the table changed.
    /// </summary>
    public bool TrySwap(RouteSnapshot next, bool allowOlder = false)
    {
        ArgumentNullException.ThrowIfNull(next);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (!allowOlder && next.Version < current.Version)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _current, next, current) == current)
            {
                if (next.Version != current.Version || !ReferenceEquals(current, next))
                {
                    Changed?.Invoke(current, next);
                }

                return true;
            }
        }
    }
}
