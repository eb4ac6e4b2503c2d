using System.Diagnostics.Metrics;
using Continuity.Core.Credentials;
using Continuity.Core.Health;
using Continuity.Gateway.Readiness;
using Continuity.Mail.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Continuity.Gateway.Tests.Readiness;

/// <summary>The readiness rules one by one, on the facts the service would gather.</summary>
public sealed class ReadinessRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(60);

    private static BackendProbeResult Probe(bool up) =>
        new("demo", "sovereign", "identity", "https://sso.example/realms/x", up, Now, up ? "discovery and jwks ok, 1 key(s)" : "discovery: HTTP 503: Service Unavailable", up ? null : Now.AddMinutes(-3));

    private static UserSyncState Synced(TimeSpan ago, string? error = null, params string[] warnings) =>
        new("demo", "alice@demo.test", Now - ago, error is null ? Now - ago : Now - TimeSpan.FromHours(1), "forward", 0, 10, 0, error, warnings, false);

    [Fact]
    public void CheckIdentity_UpstreamDown_FailsNamingTheProbe()
    {
        var check = ReadinessRules.CheckIdentity(new("sovereign", true, Probe(up: false), Linked: true, Trusted: true, EntraProfile: false));
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("upstream unreachable since", check.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckIdentity_NoUpstreamConfigured_Fails()
    {
        var check = ReadinessRules.CheckIdentity(new("sovereign", false, null, false, true, false));
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("Providers:sovereign:Identity", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckIdentity_LinkedAndUp_Passes() =>
        Assert.Equal(CheckStatus.Pass, ReadinessRules.CheckIdentity(new("sovereign", true, Probe(up: true), true, true, false)).Status);

    [Fact]
    public void CheckIdentity_NotLinkedButTrusted_PassesAsLinkableByVerifiedEmail()
    {
        var check = ReadinessRules.CheckIdentity(new("sovereign", true, Probe(up: true), Linked: false, Trusted: true, EntraProfile: false));
        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.Contains("verified email", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckIdentity_NotLinkedNotTrusted_FailsAndSaysImport()
    {
        var check = ReadinessRules.CheckIdentity(new("sovereign", true, Probe(up: true), Linked: false, Trusted: false, EntraProfile: false));
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("accounts import", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckIdentity_NotProbedYetAndNotLinked_Warns() =>
        Assert.Equal(CheckStatus.Warn, ReadinessRules.CheckIdentity(new("sovereign", true, null, false, true, false)).Status);

    [Fact]
    public void CheckSync_WithinMaxLag_Passes() =>
        Assert.Equal(CheckStatus.Pass, ReadinessRules.CheckSync(true, Synced(TimeSpan.FromSeconds(20)), MaxLag, Now).Status);

    [Fact]
    public void CheckSync_BehindMaxLag_FailsWithBothFigures()
    {
        var check = ReadinessRules.CheckSync(true, Synced(TimeSpan.FromSeconds(300)), MaxLag, Now);
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("300 s behind, more than MaxLag 60 s", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckSync_LastRunFailed_FailsWithTheError()
    {
        var check = ReadinessRules.CheckSync(true, Synced(TimeSpan.FromSeconds(5), "sovereign refused the login"), MaxLag, Now);
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("sovereign refused the login", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckSync_NeverSynced_Fails() =>
        Assert.Equal(CheckStatus.Fail, ReadinessRules.CheckSync(true, null, MaxLag, Now).Status);

    [Fact]
    public void CheckSync_Off_Warns() =>
        Assert.Equal(CheckStatus.Warn, ReadinessRules.CheckSync(false, null, MaxLag, Now).Status);

    [Fact]
    public void CheckSync_MessagesNotCopiedWhole_Warns() =>
        Assert.Equal(CheckStatus.Warn, ReadinessRules.CheckSync(true, Synced(TimeSpan.FromSeconds(5), null, "too big"), MaxLag, Now).Status);

    [Fact]
    public void CheckCredentials_AppPasswordInUse_Passes()
    {
        var check = ReadinessRules.CheckCredentials([new AppPassword("abcd1234", "alice@demo.test", "laptop", Now.AddDays(-9), Now.AddHours(-1))]);
        Assert.Equal(CheckStatus.Pass, check.Status);
    }

    [Fact]
    public void CheckCredentials_None_WarnsThatUpstreamPasswordClientsStop()
    {
        var check = ReadinessRules.CheckCredentials([]);
        Assert.Equal(CheckStatus.Warn, check.Status);
        Assert.Contains("stops after failover", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckCredentials_OnlyPendingOrUnused_Warns()
    {
        Assert.Equal(CheckStatus.Warn, ReadinessRules.CheckCredentials([new AppPassword("abcd1234", "a@demo.test", "x", Now, null, Pending: true)]).Status);
        Assert.Equal(CheckStatus.Warn, ReadinessRules.CheckCredentials([new AppPassword("abcd1234", "a@demo.test", "x", Now, null)]).Status);
    }

    [Fact]
    public void IsReady_OnlyFailCounts()
    {
        Assert.True(ReadinessRules.IsReady([new("a", CheckStatus.Pass, ""), new("b", CheckStatus.Warn, ""), new("c", CheckStatus.Skipped, "")]));
        Assert.False(ReadinessRules.IsReady([new("a", CheckStatus.Pass, ""), new("b", CheckStatus.Fail, "")]));
    }

    [Fact]
    public void Metrics_TenantCheck_ReportsUsersNotReadyPerTenant()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new ReadinessMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(string Instrument, int Value, object? Tenant)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReadinessMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => seen.Add((instrument.Name, value, tags.ToArray().Single(t => t.Key == "tenant").Value)));
        listener.Start();

        listener.RecordObservableInstruments();
        Assert.Empty(seen); // nothing checked yet: no reassuring zero

        metrics.Record(new TenantReadiness("demo", "sovereign", 3, 2, [], Now));
        listener.RecordObservableInstruments();
        Assert.Contains((ReadinessMetrics.NotReadyInstrument, 2, (object?)"demo"), seen);
        Assert.Contains((ReadinessMetrics.CheckedInstrument, 3, (object?)"demo"), seen);
    }
}
