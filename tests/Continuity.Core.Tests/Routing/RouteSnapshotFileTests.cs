using Continuity.Core.Routing;
using Continuity.Testing;

namespace Continuity.Core.Tests.Routing;

public sealed class RouteSnapshotFileTests
{
    [Fact]
    public async Task Write_ThenTryRead_SameRoutesAndVersion()
    {
        using var dir = new TempDirectory();
        var file = new RouteSnapshotFile(dir.Path);
        var snapshot = new RouteSnapshot(7, new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), new Dictionary<string, TenantRoutes>
        {
            ["demo"] = new("sovereign", new Dictionary<string, string> { ["alice@demo.test"] = "primary" }),
        });

        file.Write(snapshot);
        var read = await new RouteSnapshotFile(dir.Path).TryReadAsync();

        Assert.NotNull(read);
        Assert.Equal(7, read.Version);
        Assert.Equal("primary", read.Resolve("demo", "ALICE@demo.test"));
        Assert.Equal("sovereign", read.Resolve("demo", "bob@demo.test"));
        Assert.False(File.Exists(file.Path + ".tmp"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ not json")]
    [InlineData("\u0000\u0001")]
    public async Task TryRead_DamagedFile_NullInsteadOfThrow(string content)
    {
        using var dir = new TempDirectory();
        var file = new RouteSnapshotFile(dir.Path);
        File.WriteAllText(file.Path, content);

        Assert.Null(await file.TryReadAsync());
    }

    [Fact]
    public async Task TryRead_NoFile_Null()
    {
        using var dir = new TempDirectory();

        Assert.Null(await new RouteSnapshotFile(dir.Path).TryReadAsync());
    }
}
