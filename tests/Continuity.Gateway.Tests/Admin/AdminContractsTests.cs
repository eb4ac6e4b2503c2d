using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Core.Approvals;
using Continuity.Gateway.Admin.Contracts;

namespace Continuity.Gateway.Tests.Admin;

/// <summary>
/// The admin API's wire names, as the README and the admin console know them, written through the contracts
/// (<see cref="AdminJsonContext"/>) that both the endpoints and the CLI use.
/// </summary>
public sealed class AdminContractsTests
{
    private static readonly ApprovalRequest Request = new("r-1", "demo", "alice@demo.test", "primary", "sovereign", "drill", "ops@demo.test",
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), 2, ["ops@demo.test"], ApprovalStatus.Pending);

    [Fact]
    public void RouteChangeAnswer_AppliedAndPending_EachShapeWithItsOwnFieldsOnly()
    {
        // Act
        var applied = Write(new RouteChangeAnswer("applied", null, 7, "primary", "sovereign", 3, null), AdminJsonContext.Default.RouteChangeAnswer);
        var pending = Write(new RouteChangeAnswer("pending", Request, null, null, null, null, 12.5), AdminJsonContext.Default.RouteChangeAnswer);

        // Assert
        Assert.Equal(["status", "version", "before", "after", "auditSeq", "sovereignCopyLagSeconds"], Names(applied));
        Assert.Equal(["status", "request", "sovereignCopyLagSeconds"], Names(pending));
        Assert.Equal("Pending", pending["request"]!["status"]!.GetValue<string>());
        Assert.Equal("r-1", pending["request"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void RoutesView_DefaultIsNamedDefault_UsersKeepTheirAddresses()
    {
        // Act
        var json = Write(new RoutesView("demo", 4, DateTimeOffset.UnixEpoch, "primary", new() { ["Alice@demo.test"] = "sovereign" }), AdminJsonContext.Default.RoutesView);

        // Assert
        Assert.Equal(["tenant", "version", "loadedAt", "default", "users"], Names(json));
        Assert.Equal("sovereign", json["users"]!["Alice@demo.test"]!.GetValue<string>());
    }

    [Fact]
    public void Bodies_ReadCaseInsensitivelyAsTheApiAlwaysDid()
    {
        // Act
        var body = JsonSerializer.Deserialize("""{"user":"a@demo.test","To":"sovereign","reason":"r","expectedVersion":"5"}""", AdminJsonContext.Default.RouteChangeBody);

        // Assert
        Assert.Equal(new RouteChangeBody("a@demo.test", "sovereign", "r", 5), body);
    }

    [Fact]
    public void TenantView_FailoverTimeoutAsTimeSpanText()
    {
        // Act
        var json = Write(
            [new TenantView("demo", "Demo", ["demo.test"], "primary", "primary", "sovereign", new TenantFailoverView("suggest", 1, TimeSpan.FromDays(1), false), [])],
            AdminJsonContext.Default.ListTenantView);

        // Assert
        Assert.Equal("1.00:00:00", json[0]!["failover"]!["approvalTimeout"]!.GetValue<string>());
        Assert.Equal(["id", "displayName", "domains", "configuredDefault", "currentDefault", "sovereign", "failover", "providers"], Names(json[0]!));
    }

    private static JsonNode Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> contract) =>
        JsonNode.Parse(JsonSerializer.Serialize(value, contract))!;

    private static List<string> Names(JsonNode node) => [.. node.AsObject().Select(p => p.Key)];
}
