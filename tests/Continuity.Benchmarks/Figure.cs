using System.Globalization;

namespace Continuity.Benchmarks;

/// <summary>One reported figure: <c>name: value unit (peer: value unit, ratio: x)</c>, ratio = ours / peer.</summary>
internal sealed record Figure(string Name, double Value, double Peer, string Unit)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {Format(Value)} {Unit} (peer: {Format(Peer)} {Unit}, ratio: {(Peer > 0 ? (Value / Peer).ToString("0.00", CultureInfo.InvariantCulture) : "n/a")})");

    private static string Format(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : "0.000", CultureInfo.InvariantCulture);
}

/// <summary>Order statistics of a sample (nearest-rank).</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
