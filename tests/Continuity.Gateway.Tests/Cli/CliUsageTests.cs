using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Continuity.Gateway.Cli;
using Continuity.Testing;

namespace Continuity.Gateway.Tests.Cli;

/// <summary>
/// The built <c>continuity</c> executable as a child process, as an admin types it: help at every level, the version, and
/// every usage error (unknown option, missing value, mistyped value) is exit 2 naming what is wrong — before any request:
/// <c>--url</c> points at a listening socket that must not see a connection.
/// </summary>
public sealed class CliUsageTests : IDisposable
{
    private readonly TcpListener _gateway = new(IPAddress.Loopback, 0);

    public CliUsageTests() => _gateway.Start();

    private string Url => $"http://127.0.0.1:{((IPEndPoint)_gateway.LocalEndpoint).Port}";

    public void Dispose() => _gateway.Stop();

    [Theory]
    [InlineData("continuity [command] [options]", "--help")]
    [InlineData("continuity [command] [options]", "-h")]
    [InlineData("continuity route [command] [options]", "route", "--help")]
    [InlineData("continuity route set [options]", "route", "set", "-h")]
    [InlineData("continuity audit show [options]", "audit", "show", "--help")]
    [InlineData("continuity queue retry <ID> [options]", "queue", "retry", "-h")]
    [InlineData("continuity config check [options]", "config", "check", "--help")]
    [InlineData("continuity serve [options]", "serve", "--help")]
    [InlineData("continuity sync now [options]", "help", "sync", "now")]
    public async Task Help_AtRootVerbAndSubVerb_ExitZeroWithUsage(string usage, params string[] args)
    {
        // Act
        var result = await GatewayCli.RunAsync(args);

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(usage, result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Help_Root_ListsEveryVerbFamilyAndTheExitCodes()
    {
        // Act
        var result = await GatewayCli.RunAsync("--help");

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var verb in new[] { "serve", "config", "health", "route", "approvals", "approve", "reject", "users", "audit", "queue", "accounts", "sync", "apikey" })
        {
            Assert.Matches($"\n  {verb}[ ,]", result.Stdout);
        }

        Assert.Contains("Exit codes:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2  usage or configuration error", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_SubVerb_ListsItsOptionsWithTypesAndWhichAreRequired()
    {
        // Act
        var result = await GatewayCli.RunAsync("route", "set", "--help");

        // Assert
        Assert.Contains("--tenant <T> (REQUIRED)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--expected-version <N>", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--url <URL>", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheAssemblysInformationalVersion()
    {
        // Arrange
        var expected = typeof(ContinuityCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        // Act
        var result = await GatewayCli.RunAsync("--version");

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.Stdout.Trim());
    }

    [Theory]
    [InlineData("--frobnicate", "route", "show", "--frobnicate")]
    [InlineData("--tenantt", "audit", "verify", "--tenantt", "demo")]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("extra", "approvals", "extra")]
    [InlineData("--bogus", "serve", "--bogus")]
    [InlineData("--api-key", "health", "--api-key", "k")]
    public async Task UnknownOptionOrArgument_ExitTwoNamingIt_NoRequest(string named, params string[] args)
    {
        // Act
        var result = await GatewayCli.RunAsync([.. args, .. Connection(args)]);

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"'{named}'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help' for usage", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        AssertNoRequest();
    }

    [Theory]
    [InlineData("--tenant", "audit", "show", "--tenant")]
    [InlineData("--tenant", "route", "set", "--tenant", "--to", "sovereign", "--reason", "r")]
    [InlineData("--reason", "reject", "r-1", "--reason")]
    [InlineData("--to", "route", "set", "--tenant", "demo", "--reason", "r")]
    [InlineData("--reason", "route", "set", "--tenant", "demo", "--to", "sovereign", "--reason", " ")]
    [InlineData("ADDRESS", "accounts", "show", "--tenant", "demo")]
    public async Task MissingValue_ExitTwoNamingTheOption_NoRequest(string named, params string[] args)
    {
        // Act
        var result = await GatewayCli.RunAsync([.. args, "--url", Url]);

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(named, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("true", result.Stderr, StringComparison.Ordinal);
        AssertNoRequest();
    }

    [Theory]
    [InlineData("--count must be a number from 1 to 1000, not 'abc'", "audit", "show", "--count", "abc")]
    [InlineData("--count must be a number from 1 to 1000, not '0'", "audit", "show", "--count", "0")]
    [InlineData("--expected-version must be a route version number, not 'abc'", "route", "set", "--tenant", "demo", "--to", "sovereign", "--reason", "r", "--expected-version", "abc")]
    [InlineData("--expected-version must be a route version number, not '-1'", "route", "set", "--tenant", "demo", "--to", "sovereign", "--reason", "r", "--expected-version", "-1")]
    [InlineData("--timeout must be a number of seconds between 1 and 300, not '0'", "health", "--timeout", "0")]
    [InlineData("'lost'", "queue", "list", "--state", "lost")]
    [InlineData("File does not exist", "users", "import", "--tenant", "demo", "/nonexistent/users.csv")]
    public async Task MistypedValue_ExitTwoWithAClearError_NoRequest(string message, params string[] args)
    {
        // Act
        var result = await GatewayCli.RunAsync([.. args, "--url", Url]);

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        AssertNoRequest();
    }

    [Fact]
    public async Task BadUrl_ExitTwo_NoRequest()
    {
        // Act
        var result = await GatewayCli.RunAsync("route", "show", "--url", "ftp://127.0.0.1/");

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--url 'ftp://127.0.0.1/' is not an http(s) URL", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Serve's own usage error: a configuration override must look like one, so a typo never becomes an unread setting.</summary>
    [Fact]
    public async Task Serve_OverrideWithoutValue_ExitTwo()
    {
        // Act
        var result = await GatewayCli.RunAsync("serve", "--Continuity:Listeners:Management");

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--Continuity:Listeners:Management needs a value", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Serve has no --url (it would be an unknown option there): every other verb points at the listener.</summary>
    private string[] Connection(string[] args) => args[0] is "serve" ? [] : ["--url", Url];

    /// <summary>The CLI has exited: had it connected, the connection would wait in the listener's backlog.</summary>
    private void AssertNoRequest() => Assert.False(_gateway.Pending(), "the CLI connected to the gateway although the command line was wrong");
}
