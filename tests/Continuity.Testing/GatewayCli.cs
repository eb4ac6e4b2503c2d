using System.Diagnostics;

namespace Continuity.Testing;

/// <summary>Runs the <c>continuity</c> command (<c>dotnet continuity.dll …</c>) as a process, as an operator would.</summary>
public static class GatewayCli
{
    public static Task<GatewayCliResult> RunAsync(params string[] args) => RunAsync(whileRunning: null, args);

    /// <summary>Runs the command; <paramref name="whileRunning"/> gets its process id once started (to signal it, say).</summary>
    public static async Task<GatewayCliResult> RunAsync(Func<int, Task>? whileRunning, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(GatewayProcess.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        psi.ArgumentList.Add(GatewayProcess.ExecutablePath);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // Only what the command line says: no address or key inherited from the environment.
        psi.Environment.Remove("CONTINUITY_URL");
        psi.Environment.Remove("CONTINUITY_API_KEY");
        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            if (whileRunning is not null)
            {
                await whileRunning(process.Id);
            }

            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"continuity {string.Join(' ', args)} did not exit within 60 s");
        }

        return new GatewayCliResult(process.ExitCode, await stdout, await stderr, args);
    }
}

/// <summary>Exit code and output of one CLI run.</summary>
public sealed record GatewayCliResult(int ExitCode, string Stdout, string Stderr, IReadOnlyList<string> Args)
{
    public override string ToString() =>
        $"continuity {string.Join(' ', Args)}\nexit {ExitCode}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";
}
