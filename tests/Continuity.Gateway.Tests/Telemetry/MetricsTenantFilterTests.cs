using Continuity.Gateway.Telemetry;

namespace Continuity.Gateway.Tests.Telemetry;

[Trait("Category", "Server")]
public sealed class MetricsTenantFilterTests
{
    private static readonly Func<string, bool> DemoOnly = t => t == "demo";

    [Fact]
    public void Filter_SamplesOfAnotherTenant_DroppedCommentsAndNodeWideKept()
    {
        var text = "# TYPE a gauge\na{tenant=\"demo\"} 1\na{tenant=\"other\"} 2\nb{} 3\nc 4\n";

        var kept = MetricsTenantFilter.Filter(text, DemoOnly);

        Assert.Equal("# TYPE a gauge\na{tenant=\"demo\"} 1\nb 3\nc 4\n", kept);
    }

    [Theory]
    [InlineData("a{tenant=\"other\\\",tenant=\\\"demo\"} 1\n")] // a value that contains the text of another label
    [InlineData("a{x=\"demo\\\\\",tenant=\"other\"} 1\n")] // an escaped backslash right before the closing quote
    [InlineData("a{tenant=\"demo} 1\n")] // unterminated: dropped, not guessed
    [InlineData("a{tenant=demo} 1\n")] // not quoted
    public void Filter_ValueThatOnlyLooksLikeTheVisibleTenant_Dropped(string line)
    {
        Assert.Equal("", MetricsTenantFilter.Filter(line, DemoOnly).Trim('\n'));
    }

    [Fact]
    public void Filter_ManagementListener_EveryTenantKept()
    {
        var text = "a{tenant=\"other\"} 2\n";

        Assert.Equal(text, MetricsTenantFilter.Filter(text, null));
    }
}
