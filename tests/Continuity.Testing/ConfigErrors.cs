using Xunit;

namespace Continuity.Testing;

/// <summary>
/// Assertions on what an options validator reports: all errors at once, each starting with the configuration path of
/// the setting it is about (<c>Continuity:Web:Apps:webmail:Timeout: must be …</c>).
/// </summary>
public static class ConfigErrors
{
    /// <summary>Each of <paramref name="paths"/> starts at least one of <paramref name="errors"/>.</summary>
    public static void AssertEachPath(IEnumerable<string> errors, params string[] paths)
    {
        var list = errors.ToList();
        foreach (var path in paths)
        {
            Assert.Contains(list, e => e.StartsWith(path, StringComparison.Ordinal));
        }
    }
}
