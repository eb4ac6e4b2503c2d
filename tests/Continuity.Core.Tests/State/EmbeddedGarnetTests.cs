using Continuity.Core.State;
using Continuity.Testing;
using StackExchange.Redis;

namespace Continuity.Core.Tests.State;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Server")]
public sealed class EmbeddedGarnetTests
{
    [Fact]
    public void Start_FirstTime_PasswordFileOwnerOnlyAndRequiredByTheServer()
    {
        using var dir = new TempDirectory();
        using var garnet = EmbeddedGarnet.Start(dir.Path, 0, "64m");
        var passwordFile = Path.Combine(dir.Path, "state", "password");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        using var withoutPassword = ConnectionMultiplexer.Connect($"127.0.0.1:{garnet.Port},abortConnect=false,connectTimeout=2000");
        Assert.ThrowsAny<RedisException>(() => withoutPassword.GetDatabase().StringSet("k", "v"));
        using var withPassword = ConnectionMultiplexer.Connect(garnet.ConnectionString);
        Assert.True(withPassword.GetDatabase().StringSet("k", "v"));
    }

    [Fact]
    public void Start_Restarted_KeepsPasswordAndData()
    {
        using var dir = new TempDirectory();
        string password;
        using (var first = EmbeddedGarnet.Start(dir.Path, 0, "64m"))
        {
            password = first.Password;
            using var connection = ConnectionMultiplexer.Connect(first.ConnectionString);
            connection.GetDatabase().StringSet("route", "sovereign");
        }

        using var second = EmbeddedGarnet.Start(dir.Path, 0, "64m");
        using var again = ConnectionMultiplexer.Connect(second.ConnectionString);

        Assert.Equal(password, second.Password);
        Assert.Equal("sovereign", again.GetDatabase().StringGet("route").ToString());
    }

    [Fact]
    public void Start_SameDataDirectoryTwice_SecondRefusedWithClearMessage()
    {
        using var dir = new TempDirectory();
        using var first = EmbeddedGarnet.Start(dir.Path, 0, "64m");

        var ex = Assert.Throws<IOException>(() => EmbeddedGarnet.Start(dir.Path, 0, "64m"));

        Assert.Contains("Another gateway process already uses the embedded store", ex.Message, StringComparison.Ordinal);
    }
}
