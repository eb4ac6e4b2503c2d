using System.Collections;

namespace Continuity.Core.Configuration;

/// <summary>
/// The errors of one options validator, collected all at once: each a line <c>path: message</c>, where the path is the
/// configuration path of the bad value (<c>Continuity:Mail:Delivery:FirstRetryDelay</c>). Holds the range checks the
/// validators share, so the same mistake reads the same in every section.
/// </summary>
/// <param name="section">Prefix of every key (<c>Continuity:Mail</c>), or empty when keys are whole paths.</param>
public sealed class ConfigurationErrorCollection(string section = "") : IReadOnlyCollection<string>
{
    private readonly List<string> _errors = [];

    public int Count => _errors.Count;

    /// <summary>An error at <paramref name="key"/> (under the section, if any).</summary>
    public void Add(string key, string message) => _errors.Add($"{Path(key)}: {message}");

    /// <summary>An error at a whole configuration path (another section, a tenant's provider), whatever the section.</summary>
    public void AddAt(string path, string message) => _errors.Add($"{path}: {message}");

    /// <summary>An error unless <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>.</summary>
    public void Range(string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            Add(key, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"));
        }
    }

    /// <summary>An error unless <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>; both shown as <c>d.hh:mm:ss</c>.</summary>
    public void Span(string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            Add(key, $"must be between {min.ToString("c", CultureInfo.InvariantCulture)} and {max.ToString("c", CultureInfo.InvariantCulture)}");
        }
    }

    public IEnumerator<string> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string Path(string key) => section.Length == 0 ? key : $"{section}:{key}";
}
