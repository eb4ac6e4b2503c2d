using System.Net;
using Continuity.Mail.Limits;

namespace Continuity.Mail.Tests.Limits;

public sealed class PerAddressConnectionLimitTests
{
    [Fact]
    public void TryOpen_UpToTheCap_ThenRefusedUntilOneCloses_OtherAddressesCountedApart()
    {
        var limit = new PerAddressConnectionLimit(2);
        var a = IPAddress.Parse("192.0.2.1");

        var first = limit.TryOpen(a);
        var second = limit.TryOpen(a);
        var third = limit.TryOpen(a);
        var other = limit.TryOpen(IPAddress.Parse("192.0.2.2"));
        first!.Dispose();
        first.Dispose(); // a second dispose counts nothing
        var afterClose = limit.TryOpen(a);

        Assert.NotNull(second);
        Assert.Null(third);
        Assert.NotNull(other);
        Assert.NotNull(afterClose);
        Assert.Equal(2, limit.Open(a));
    }

    [Fact]
    public void TryOpen_IPv6AddressesOfOneSlash64_CountTogether_IPv4MappedCountsAsIPv4()
    {
        var limit = new PerAddressConnectionLimit(1);

        var held = limit.TryOpen(IPAddress.Parse("2001:db8:1:2::1"));
        var sameNetwork = limit.TryOpen(IPAddress.Parse("2001:db8:1:2:ffff::7"));
        var nextNetwork = limit.TryOpen(IPAddress.Parse("2001:db8:1:3::1"));
        var v4 = limit.TryOpen(IPAddress.Parse("192.0.2.9"));
        var mapped = limit.TryOpen(IPAddress.Parse("::ffff:192.0.2.9"));

        Assert.NotNull(held);
        Assert.Null(sameNetwork);
        Assert.NotNull(nextNetwork);
        Assert.NotNull(v4);
        Assert.Null(mapped);
    }

    [Fact]
    public void TryOpen_CapZero_NeverRefuses()
    {
        var limit = new PerAddressConnectionLimit(0);

        Assert.All(Enumerable.Range(0, 100), _ => Assert.NotNull(limit.TryOpen(IPAddress.Loopback)));
    }
}
