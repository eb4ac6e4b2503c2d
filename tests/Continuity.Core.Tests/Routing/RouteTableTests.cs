using Continuity.Core.Routing;

namespace Continuity.Core.Tests.Routing;

public sealed class RouteTableTests
{
    private static RouteSnapshot Snapshot(long version, string alice) => new(version, DateTimeOffset.UnixEpoch, new Dictionary<string, TenantRoutes>
    {
        ["demo"] = new("primary", new Dictionary<string, string> { ["alice@demo.test"] = alice }),
    });

    [Fact]
    public void TrySwap_OlderVersion_Ignored()
    {
        var table = new RouteTable();
        table.TrySwap(Snapshot(5, "sovereign"));

        Assert.False(table.TrySwap(Snapshot(4, "primary")));
        Assert.Equal("sovereign", table.Resolve("demo", "alice@demo.test"));
    }

    [Fact]
    public void TrySwap_NewerVersion_RaisesChangedWithBoth()
    {
        var table = new RouteTable();
        table.TrySwap(Snapshot(1, "primary"));
        (long From, long To)? seen = null;
        table.Changed += (before, after) => seen = (before.Version, after.Version);

        Assert.True(table.TrySwap(Snapshot(2, "sovereign")));

        Assert.Equal((1L, 2L), seen);
        Assert.Equal("sovereign", table.Resolve("demo", "Alice@Demo.Test"));
    }

    [Fact]
    public void Resolve_UnknownTenantOrUser_NullOrDefault()
    {
        var table = new RouteTable();
        Assert.False(table.IsLoaded);
        table.TrySwap(Snapshot(1, "sovereign"));

        Assert.True(table.IsLoaded);
        Assert.Null(table.Resolve("nowhere", "alice@demo.test"));
        Assert.Equal("primary", table.Resolve("demo", "carol@demo.test"));
        Assert.Equal("primary", table.Resolve("demo", null));
    }
}
