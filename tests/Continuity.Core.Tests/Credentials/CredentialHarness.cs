using Continuity.Core.Credentials;
using Continuity.Core.State;
using Continuity.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Continuity.Core.Tests.Credentials;

/// <summary>App passwords and the throttle against one store, under a key prefix of their own; time is fake.</summary>
internal sealed class CredentialHarness : IDisposable
{
    private readonly TempDirectory _dir = new("credentials");

    /// <param name="prefix">Another harness's <see cref="Prefix"/> to play a second node on the same data; null: a fresh prefix.</param>
    public CredentialHarness(string connectionString, Action<CredentialOptions>? configure = null, string? prefix = null)
    {
        Prefix = prefix ?? "{c" + Guid.NewGuid().ToString("N")[..12] + "}:";
        var continuity = CoreHarness.DemoOptions(_dir.Path, connectionString, Prefix);
        Store = new StateStore(Microsoft.Extensions.Options.Options.Create(continuity), NullLoggerFactory.Instance);
        Options = new CredentialOptions();
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Passwords = new AppPasswordStore(Store, options, Time);
        Throttle = new LoginThrottle(Store, options);
    }

    public CredentialOptions Options { get; }

    public string Prefix { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    public StateStore Store { get; }

    public AppPasswordStore Passwords { get; }

    public LoginThrottle Throttle { get; }

    public void Dispose()
    {
        Store.Dispose();
        _dir.Dispose();
    }
}
