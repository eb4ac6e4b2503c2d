using System.Diagnostics;
using System.Net.Sockets;

namespace Continuity.Testing;

/// <summary>
/// A real <c>redis-server</c> on 127.0.0.1 and a free port, no persistence, daemonized with a
/// pid file; <see cref="Stop"/> / <see cref="Start"/> let tests take the store away and bring it back.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly TempDirectory _dir = new("redis");
    private readonly string _server;
    private readonly string _cli;

    public RedisServer()
    {
        _server = RequiredProgram.Find("redis-server", "redis-server");
        _cli = RequiredProgram.Find("redis-cli", "redis-tools");
        Port = FreePort.Next();
        Start();
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning { get; private set; }

    public void Start()
    {
        Run(_server, $"--port {Port} --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir {_dir.Path} --pidfile {_dir.Combine("redis.pid")} --logfile {_dir.Combine("redis.log")}");
        WaitUntil(() => CanConnect(), TimeSpan.FromSeconds(10), "redis-server did not start listening");
        WaitUntil(() => File.Exists(_dir.Combine("redis.pid")), TimeSpan.FromSeconds(10), "redis-server wrote no pid file");
        ParentDeathGuard.WatchPidFile(_dir.Combine("redis.pid"));
        IsRunning = true;
    }

    /// <summary>Shuts the server down (its data is gone: it keeps none).</summary>
    public void Stop()
    {
        if (!IsRunning)
        {
            return;
        }

        Run(_cli, $"-p {Port} shutdown nosave", ignoreExit: true);
        WaitUntil(() => !CanConnect(), TimeSpan.FromSeconds(10), "redis-server did not stop");
        IsRunning = false;
    }

    public void Dispose()
    {
        Stop();
        _dir.Dispose();
    }

    private bool CanConnect()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Run(string program, string args, bool ignoreExit = false)
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-c", $"{program} {args}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (!ignoreExit && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {args} failed ({process.ExitCode}): {output}");
        }
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan timeout, string message)
    {
        if (!SpinWait.SpinUntil(condition, timeout))
        {
            throw new TimeoutException(message);
        }
    }
}
