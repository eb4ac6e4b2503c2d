using Continuity.Gateway.Cli;

namespace Continuity.Gateway.Tests.Support;

/// <summary>
/// The <c>continuity</c> command run in this process through its real dispatch, as a person typing it (the
/// multi-node tests run the built executable: <see cref="Continuity.Testing.GatewayCli"/>).
/// </summary>
internal static class InProcessCli
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await ContinuityCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
