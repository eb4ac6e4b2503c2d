using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Continuity.Gateway.Hosting;

/// <summary>
/// The configuration the gateway runs with (<c>continuity config show</c>): every bound section after all sources
/// are merged, defaults included, as JSON in the shape of the configuration file — and without a secret in it.
/// </summary>
/// <remarks>
/// What is redacted: every value of a setting whose name says Secret, Password or Key (<c>ClientSecret</c>,
/// <c>MasterPassword</c>, <c>Password</c>, <c>ApiKeyHashes</c>, <c>SecretHash</c>), each item of it when it is a
/// list or a dictionary, unless the name says it is where a secret lives rather than the secret (<c>…Path</c>,
/// <c>…File</c>, <c>…Dir</c>, <c>KeyPrefix</c>). A hash keeps only its scheme (<c>sha256:…</c>), so one sees that a key is set.
/// Any other text is scrubbed of what carries a password inside it: a URI's user information
/// (<c>https://user:pw@host</c>) and a connection string's <c>password=</c> (<c>redis:6379,password=…</c>).
/// Only known settings are printed: an unknown key (which <c>config check</c> refuses) never reaches the output.
/// </remarks>
internal static partial class EffectiveConfiguration
{
    public const string Redacted = "(redacted)";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(BoundConfiguration bound)
    {
        ArgumentNullException.ThrowIfNull(bound);
        var root = new JsonObject();
        foreach (var section in GatewayConfiguration.Sections)
        {
            var parent = root;
            var names = section.Path.Split(':');
            foreach (var name in names[..^1])
            {
                parent = parent[name] as JsonObject ?? (JsonObject)(parent[name] = new JsonObject());
            }

            var rendered = (JsonObject)Render(bound[section.Path], section.OptionsType, secret: false)!;
            if (parent[names[^1]] is JsonObject existing)
            {
                // A section bound on its own inside another (Continuity:Mail:Sync in Continuity:Mail) was placed first.
                foreach (var (key, value) in existing.ToList())
                {
                    existing.Remove(key);
                    rendered[key] = value;
                }
            }

            parent[names[^1]] = rendered;
        }

        return root.ToJsonString(Indented);
    }

    /// <summary>A setting named like a secret (<c>ClientSecret</c>, <c>MasterPassword</c>, <c>ApiKeyHashes</c>, OTLP <c>Headers</c>).</summary>
    public static bool IsSecretName(string name) =>
        !IsLocationName(name) && SecretName().IsMatch(name);

    /// <summary>Where a secret lives, not the secret (<c>ClientSecretFile</c>, <c>KeyPath</c>, <c>KeyPrefix</c>).</summary>
    private static bool IsLocationName(string name) => LocationName().IsMatch(name);

    private static JsonNode? Render(object? value, Type type, bool secret)
    {
        if (value is null)
        {
            return null;
        }

        if (ConfigurationShape.IsValue(type))
        {
            return secret ? JsonValue.Create(Redact(value)) : Value(value);
        }

        if (ConfigurationShape.DictionaryValue(type) is { } valueType)
        {
            var entries = new JsonObject();
            foreach (System.Collections.DictionaryEntry entry in (System.Collections.IDictionary)value)
            {
                entries[(string)entry.Key] = Render(entry.Value, valueType, secret);
            }

            return entries;
        }

        if (ConfigurationShape.ElementType(type) is { } elementType)
        {
            var items = new JsonArray();
            foreach (var item in (System.Collections.IEnumerable)value)
            {
                items.Add(Render(item, elementType, secret));
            }

            return items;
        }

        var settings = new JsonObject();
        foreach (var property in ConfigurationShape.Settings(type))
        {
            // Each setting of a section is judged by its own name (Keys:Signing:0:Path is shown, …:Password is not).
            settings[property.Name] = Render(property.GetValue(value), property.PropertyType, IsSecretName(property.Name));
        }

        return settings;
    }

    private static string Redact(object value) =>
        value is string text && text.Length == 0 ? ""
        : value is string hash && hash.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? "sha256:…"
        : Redacted;

    private static JsonValue? Value(object value) => value switch
    {
        string text => JsonValue.Create(Scrub(text)),
        bool flag => JsonValue.Create(flag),
        TimeSpan span => JsonValue.Create(span.ToString("c", CultureInfo.InvariantCulture)),
        Enum named => JsonValue.Create(named.ToString()),
        int or long or short or byte or uint or ulong or ushort or sbyte => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double or float or decimal => JsonValue.Create(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(Scrub(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")),
    };

    /// <summary>The password inside a URI (<c>user:pw@</c>) or a connection string (<c>password=pw</c>).</summary>
    private static string Scrub(string text)
    {
        text = ConnectionStringPassword().Replace(text, m => m.Groups[1].Value + Redacted);
        return UserInfoPassword().Replace(text, m => m.Groups[1].Value + ":" + Redacted + "@");
    }

    [GeneratedRegex("(secret|password|passwd|pwd|key|^headers$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex("(path|file|dir|directory|prefix)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LocationName();

    [GeneratedRegex(@"((?:^|[,;\s])\s*(?:password|passwd|pwd)\s*=\s*)[^,;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?<=://)([^/@:\s]*):[^/@\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPassword();
}
