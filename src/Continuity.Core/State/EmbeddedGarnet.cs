using System.Net;
using System.Net.Sockets;
using Continuity.Core.IO;
using Garnet;

namespace Continuity.Core.State;

/// <summary>
/// The embedded store used when no Redis connection string is configured: a Garnet server in
/// this process, bound to 127.0.0.1 only, with a password and AOF persistence in the data
/// directory (<c>&lt;data-dir&gt;/state</c>).
/// </summary>
/// <remarks>
/// Files: <c>state/password</c> (mode 0600, made on first start, so no other local user can
/// change routes), <c>state/checkpoints</c> (AOF and checkpoints). Garnet 2.2.8 here needs
/// <c>--device-type RandomAccess</c> (the native AIO device needs a libaio that Debian 12 lacks),
/// and <c>--logdir</c> needs tiered storage, so it is left out. Scripts need
/// <c>--lua-transaction-mode</c> to be atomic (an external Garnet needs it too).
/// </remarks>
public sealed partial class EmbeddedGarnet : IDisposable
{
    private readonly GarnetServer _server;
    private readonly FileStream _lock;

    private EmbeddedGarnet(GarnetServer server, FileStream dataDirLock, int port, string password)
    {
        _server = server;
        _lock = dataDirLock;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    internal string Password { get; }

    /// <summary>A StackExchange.Redis connection string for this server (contains the password: never log it).</summary>
    internal string ConnectionString => $"127.0.0.1:{Port},password={Password},abortConnect=false";

    public static EmbeddedGarnet Start(string dataDir, int port, string memory, ILoggerFactory? loggerFactory = null)
    {
        var stateDir = Path.Combine(Path.GetFullPath(dataDir), "state");
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(stateDir)!);
        PrivateFiles.CreateDirectory(stateDir);
        var dataDirLock = LockDataDirectory(stateDir);
        var password = ReadOrCreatePassword(Path.Combine(stateDir, "password"));
        if (port == 0)
        {
            port = PickFreePort();
        }

        string[] args =
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--auth", "Password",
            "--password", password,
            "--checkpointdir", Path.Combine(stateDir, "checkpoints"),
            "--aof",
            "--recover",
            "--lua",
            // Without it Garnet runs scripts without isolation: two route changes could both pass
            // their version check (the store contract test caught exactly that).
            "--lua-transaction-mode", "true",
            "--memory", memory,
            "--device-type", "RandomAccess",
        ];

        GarnetServer server;
        try
        {
            server = new GarnetServer(args, loggerFactory is null ? null : new WarningsOnlyLoggerFactory(loggerFactory), cleanupDir: false);
            server.Start();
        }
        catch
        {
            dataDirLock.Dispose();
            throw;
        }

        // The AOF holds every secret in the store (Data Protection keys, token entries): Garnet creates its files
        // with the process umask (077 when started by 'continuity serve'); files of an older version are narrowed here.
        PrivateFiles.Tighten(stateDir);
        if (loggerFactory is not null)
        {
            Log.Started(loggerFactory.CreateLogger<EmbeddedGarnet>(), port, stateDir);
        }

        return new EmbeddedGarnet(server, dataDirLock, port, password);
    }

    public void Dispose()
    {
        _server.Dispose();
        _lock.Dispose();
    }

    /// <summary>
    /// One process per embedded store: two gateways writing the same AOF would corrupt it.
    /// The lock is held (an exclusive open) until <see cref="Dispose"/> or process exit.
    /// </summary>
    private static FileStream LockDataDirectory(string stateDir)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateFiles.FileMode;
            }

            return new FileStream(Path.Combine(stateDir, "lock"), options);
        }
        catch (IOException ex)
        {
            throw new IOException(
                $"Another gateway process already uses the embedded store in {stateDir}. Give each node its own --data-dir, " +
                "or share state through Redis (Continuity:State:Redis).", ex);
        }
    }

    private static string ReadOrCreatePassword(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= 32)
            {
                return existing;
            }
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        // Created 0600 from the first byte: no window in which another local user could read it.
        PrivateFiles.WriteAllText(path, password);
        return password;
    }

    private static int PickFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
