using System.Security.Cryptography;
using Continuity.Core.Configuration;
using Continuity.Testing;
using StackExchange.Redis;

namespace Continuity.Gateway.Tests.Security;

/// <summary>
/// Secrets at rest, checked on the running executable the way a second local user (or a stolen backup of the
/// state store) would see them: file modes under the data directory, and the Data Protection key XML as a
/// Redis client reads it from the store.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Category", "Server")]
public sealed class SecretsAtRestTests
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Serve_EmbeddedStore_DataDirIsPrivateAndStoredKeysAreEncrypted()
    {
        // Arrange
        var options = GatewayConfig.Demo(redis: null);
        options.State.EmbeddedPort = FreePort.Next();
        await using var gateway = await GatewayProcess.StartAsync("A", options);
        await gateway.ChangeRouteAsync(GatewayConfig.Alice, "sovereign", "files 0600"); // writes the AOF and the route snapshot
        using (var discovery = new HttpRequestMessage(HttpMethod.Get, ".well-known/openid-configuration"))
        {
            discovery.Headers.Host = "login.demo.test";
            (await gateway.Anonymous.SendAsync(discovery)).Dispose(); // the identity keys are made on first use
        }

        var data = gateway.DataDir;
        string[] expected = ["node-id", "routes.snapshot.json", "state/password", "keys/dataprotection.key", "keys/signing.pem", "keys/encryption.pem"];
        await Eventually.TrueAsync(() => expected.All(f => File.Exists(Path.Combine(data, f))) && Directory.EnumerateFiles(Path.Combine(data, "state", "checkpoints"), "*", SearchOption.AllDirectories).Any(),
            TimeSpan.FromSeconds(20), $"key, state and snapshot files under {data}: {string.Join(", ", Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))}");

        // Act
        var modes = Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories).Prepend(data)
            .Select(p => (Path: Path.GetRelativePath(data, p), Mode: File.GetUnixFileMode(p)))
            .ToList();
        var stored = await DataProtectionKeysAsync($"127.0.0.1:{options.State.EmbeddedPort},password={File.ReadAllText(Path.Combine(data, "state", "password")).Trim()}");

        // Assert
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        var open = modes.Where(m => (m.Mode & GroupOrOther) != 0).Select(m => $"{m.Path} {m.Mode}").ToList();
        Assert.True(open.Count == 0, "readable by others: " + string.Join("; ", open));
        foreach (var file in expected)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, file)));
        }

        AssertEncrypted(stored);
    }

    [Fact]
    public async Task Serve_ExternalStoreWithKeyFile_StoredDataProtectionKeysHoldNoMasterKeyInClear()
    {
        // Arrange
        using var redis = new RedisServer();
        using var dir = new TempDirectory();
        var keyFile = dir.Combine("dataprotection.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var options = GatewayConfig.Demo(redis.ConnectionString);
        options.DataProtection.KeyFile = keyFile;

        // Act: Data Protection makes its first key at start.
        await using var gateway = await GatewayProcess.StartAsync("A", options);
        var stored = await DataProtectionKeysAsync(redis.ConnectionString);

        // Assert
        AssertEncrypted(stored);
    }

    [Fact]
    public async Task Serve_NoIdentityKeyFilesOutsideDevelopment_RefusesToStartNamingTheSetting()
    {
        // Arrange: a production-shaped configuration (no development flag, no AllowInsecureHttp) without key files.
        using var dir = new TempDirectory();
        var options = GatewayConfig.Demo(redis: null);
        options.Development = false;
        var file = dir.Combine("continuity.json");
        await File.WriteAllTextAsync(file, GatewayConfig.ToJson(options));

        // Act
        var result = await GatewayCli.RunAsync("serve", "--config", file, "--data-dir", dir.Combine("data"), "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Continuity:Identity:Keys: Signing and Encryption key files are required", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Continuity:Identity:AllowInsecureHttp or Continuity:Development", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("data", "keys", "signing.pem")), "no development key was generated");
    }

    [Fact]
    public async Task Serve_ExternalStoreWithoutDataProtectionKey_RefusesToStartNamingTheSetting()
    {
        // Arrange
        using var dir = new TempDirectory();
        var options = GatewayConfig.Demo("127.0.0.1:1");
        options.Development = false;
        var file = dir.Combine("continuity.json");
        await File.WriteAllTextAsync(file, GatewayConfig.ToJson(options));

        // Act
        var result = await GatewayCli.RunAsync("serve", "--config", file, "--data-dir", dir.Combine("data"), "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Continuity:DataProtection:KeyFile: is required with an external state store", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Continuity:Audit:KeyFile: is required with an external state store", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<List<string>> DataProtectionKeysAsync(string connectionString)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var list = await redis.GetDatabase().ListRangeAsync("{continuity}:dataprotection:keys");
        return list.Select(v => v.ToString()).ToList();
    }

    private static void AssertEncrypted(List<string> stored)
    {
        Assert.NotEmpty(stored);
        foreach (var xml in stored)
        {
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.Contains("urn:continuity:dataprotection", xml, StringComparison.Ordinal);
        }
    }
}
