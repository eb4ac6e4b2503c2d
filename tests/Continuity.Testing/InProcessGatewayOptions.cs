using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Continuity.Testing;

/// <summary>How <see cref="InProcessGateway.StartPartsAsync"/> hosts the parts.</summary>
public sealed class InProcessGatewayOptions
{
    /// <summary>The HTTP port, when the caller must know it before the start (an issuer in the settings); null: a free one.</summary>
    public int? Port { get; init; }

    /// <summary>The host's clock (a <c>FakeTimeProvider</c> for expiry tests); null: the system's.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>More Kestrel set-up after the HTTP listener on 127.0.0.1 (a TLS listener, limits); or null.</summary>
    public Action<KestrelServerOptions>? Kestrel { get; init; }

    /// <summary>An environment variable that, set to <c>1</c>, also logs to the console at Debug (e.g. <c>IDENTITY_TEST_LOGS</c>); or null.</summary>
    public string? ConsoleLogVariable { get; init; }
}
