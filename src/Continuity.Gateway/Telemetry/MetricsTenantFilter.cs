namespace Continuity.Gateway.Telemetry;

/// <summary>
/// Keeps, of a Prometheus (or OpenMetrics) text exposition, the comment lines and the samples whose <c>tenant</c>
/// label — if they have one — is a tenant the caller may read. An admin sees their own tenant's rows and the node-wide
/// ones (store, spool, HTTP, runtime), as <c>/metrics</c> always showed them. Label values are read with the format's
/// escapes (<c>\\</c>, <c>\"</c>, <c>\n</c>), so a value cannot pass for another; a sample line that does not parse is dropped.
/// It also writes a series without labels as <c>name value</c>, not the exporter's <c>name{} value</c>.
/// </summary>
internal static class MetricsTenantFilter
{
    /// <param name="visible">Whether the caller may read a tenant; null: every tenant (the management listener).</param>
    public static string Filter(string exposition, Func<string, bool>? visible)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        var kept = new StringBuilder(exposition.Length);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                kept.Append(line).Append('\n');
            }
            else if (visible is null || Keep(line, visible))
            {
                // "name{} 1" (a series without labels, as the exporter writes it) is "name 1", as /metrics always wrote it.
                kept.Append(line.Replace("{} ", " ", StringComparison.Ordinal)).Append('\n');
            }
        }

        // Split leaves one empty piece after the last newline; the loop gave it a newline of its own.
        return kept.Length > 0 ? kept.ToString(0, kept.Length - 1) : "";
    }

    private static bool Keep(string line, Func<string, bool> visible)
    {
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (brace < 0 || (space >= 0 && space < brace))
        {
            return true; // no labels
        }

        var i = brace + 1;
        while (i < line.Length && line[i] != '}')
        {
            var equals = line.IndexOf('=', i);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                return false;
            }

            var name = line[i..equals].Trim();
            var value = new StringBuilder();
            var j = equals + 2;
            for (; j < line.Length && line[j] != '"'; j++)
            {
                if (line[j] == '\\' && j + 1 < line.Length)
                {
                    j++;
                    value.Append(line[j] == 'n' ? '\n' : line[j]);
                }
                else
                {
                    value.Append(line[j]);
                }
            }

            if (j >= line.Length)
            {
                return false; // unterminated value
            }

            if (name == "tenant" && !visible(value.ToString()))
            {
                return false;
            }

            i = j + 1;
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }
        }

        return i < line.Length;
    }
}
