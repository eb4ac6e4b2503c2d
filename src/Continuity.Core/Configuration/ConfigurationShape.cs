using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Continuity.Core.Configuration;

/// <summary>One configuration section and the options type it is bound to (<c>Continuity:Mail</c> → <c>MailOptions</c>).</summary>
internal sealed record BoundSection(string Path, Type OptionsType);

/// <summary>
/// Walks a configuration tree against the options types it is bound to, before binding, and reports what the
/// binder would silently drop or throw on: a key no options type has (<c>Continuity:Tenants:demo:Failover:Automatc</c>),
/// a value that does not convert (<c>Automatic: "Sometimes"</c>, <c>ApprovalTimeout: "a day"</c>, <c>Approvals: "two"</c>),
/// a section where one value is expected and the reverse. Each error is "path: message", all at once.
/// </summary>
/// <remarks>
/// The rules are the binder's (<c>Microsoft.Extensions.Configuration.Binder</c>): a value converts with the type's
/// <see cref="TypeConverter"/> and the invariant culture; an empty value is null for a nullable type; keys match
/// property names case-insensitively; dictionaries take any key; lists take their children in order. A section
/// bound on its own (<c>Continuity:Mail:Sync</c> inside <c>Continuity:Mail</c>) is known to its parent through
/// <see cref="BoundSection"/>. The binder itself does not help: it swallows a failed dictionary or list element
/// (the whole tenant disappears) and throws on the first failed property.
/// </remarks>
internal static class ConfigurationShape
{
    /// <summary>Every error of every section; <paramref name="badKeys"/> gets the path of each key that must not be bound.</summary>
    public static List<string> Check(IConfiguration configuration, IReadOnlyList<BoundSection> sections, List<string> badKeys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(badKeys);
        var walk = new Walk(sections, [], badKeys);
        foreach (var section in sections)
        {
            var node = configuration.GetSection(section.Path);
            if (node.Exists())
            {
                walk.Node(node, section.OptionsType, section.Path);
            }
        }

        return walk.Errors;
    }

    /// <summary>A type the binder sets from one string (string, numbers, bool, enum, TimeSpan, Uri, …).</summary>
    public static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal)
            || (type != typeof(object) && !IsCollection(type) && TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string)));
    }

    /// <summary>The value type of a string-keyed dictionary, or null.</summary>
    public static Type? DictionaryValue(Type type) =>
        Generic(type, typeof(IDictionary<,>)) is { } args && args[0] == typeof(string) ? args[1]
        : Generic(type, typeof(IReadOnlyDictionary<,>)) is { } ro && ro[0] == typeof(string) ? ro[1]
        : null;

    /// <summary>The element type of a list, set or array, or null.</summary>
    public static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type == typeof(string) || DictionaryValue(type) is not null ? null
        : Generic(type, typeof(IEnumerable<>))?[0];

    /// <summary>
    /// The properties the binder sets: public instance properties with a public getter and either a public setter or a
    /// type it fills in place (a section or a collection). Indexers are not settings.
    /// </summary>
    public static IEnumerable<PropertyInfo> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0
                && (p.SetMethod is { IsPublic: true } || !IsValue(p.PropertyType)));

    private static bool IsCollection(Type type) =>
        type != typeof(string) && (type.IsArray || Generic(type, typeof(IEnumerable<>)) is not null);

    private static Type[]? Generic(Type type, Type definition) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type : null)?.GetGenericArguments()
        ?? type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition)?.GetGenericArguments();

    private sealed class Walk(IReadOnlyList<BoundSection> sections, List<string> errors, List<string> badKeys)
    {
        public List<string> Errors => errors;

        public void Node(IConfigurationSection node, Type type, string path)
        {
            var children = node.GetChildren().ToList();
            if (IsValue(type))
            {
                Value(node, type, path, children.Count > 0);
                return;
            }

            if (children.Count == 0)
            {
                // "Identity": null or "" leaves a section unset, as the binder does; a real value is a mistake.
                if (!string.IsNullOrEmpty(node.Value))
                {
                    Bad(path, $"'{node.Value}' is a single value; a section ({Describe(type)}) is expected here");
                }

                return;
            }

            if (DictionaryValue(type) is { } valueType)
            {
                children.ForEach(child => Node(child, valueType, $"{path}:{child.Key}"));
            }
            else if (ElementType(type) is { } elementType)
            {
                children.ForEach(child => Node(child, elementType, $"{path}:{child.Key}"));
            }
            else
            {
                Object(children, type, path);
            }
        }

        private void Object(List<IConfigurationSection> children, Type type, string path)
        {
            var settings = Settings(type).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            var ownSections = sections.Where(s => string.Equals(Parent(s.Path), path, StringComparison.OrdinalIgnoreCase))
                .Select(s => s.Path[(path.Length + 1)..]).ToList();
            foreach (var child in children)
            {
                var childPath = $"{path}:{child.Key}";
                if (ownSections.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    continue; // bound on its own, walked with its own type
                }

                if (settings.TryGetValue(child.Key, out var property))
                {
                    Node(child, property.PropertyType, childPath);
                    continue;
                }

                var known = settings.Keys.Concat(ownSections).Order(StringComparer.Ordinal).ToList();
                var near = known.FirstOrDefault(k => Distance(k, child.Key) <= (child.Key.Length >= 6 ? 2 : 1));
                Bad(childPath, near is not null
                    ? $"unknown setting (did you mean '{near}'?)"
                    : $"unknown setting; {path} knows {string.Join(", ", known)}");
            }
        }

        private void Value(IConfigurationSection node, Type type, string path, bool hasChildren)
        {
            if (hasChildren)
            {
                Bad(path, $"is a section; one value ({Describe(type)}) is expected here");
                return;
            }

            var value = node.Value;
            var target = Nullable.GetUnderlyingType(type);
            if (value is null || type == typeof(string) || (target is not null && value.Length == 0))
            {
                return;
            }

            target ??= type;
            object? result;
            try
            {
                result = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(value);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or NotSupportedException || ex.InnerException is FormatException or OverflowException)
            {
                Bad(path, $"'{value}' is not {Describe(target)}");
                return;
            }

            // "5" or "Off, Apply" convert to an enum value that has no name.
            if (target.IsEnum && !target.IsDefined(typeof(FlagsAttribute), false) && !Enum.IsDefined(target, result!))
            {
                Bad(path, $"'{value}' is not {Describe(target)}");
            }
        }

        private void Bad(string path, string message)
        {
            errors.Add($"{path}: {message}");
            badKeys.Add(path);
        }

        private static string? Parent(string path) => path.LastIndexOf(':') is var i and > 0 ? path[..i] : null;
    }

    /// <summary>What a value of the type looks like, for messages.</summary>
    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "true or false",
            TypeCode.Int32 => $"a whole number between {int.MinValue.ToString(CultureInfo.InvariantCulture)} and {int.MaxValue.ToString(CultureInfo.InvariantCulture)}",
            TypeCode.Int64 => "a whole number",
            TypeCode.Int16 or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 or TypeCode.Byte or TypeCode.SByte => "a whole number in range",
            TypeCode.Double or TypeCode.Single or TypeCode.Decimal => "a number (with '.' as the decimal point)",
            _ when type == typeof(TimeSpan) => "a duration as [d.]hh:mm[:ss[.fff]] (00:10:00 is ten minutes, 1.00:00:00 is a day)",
            _ when type == typeof(Uri) => "a URI",
            _ when DictionaryValue(type) is not null => "a section of named entries",
            _ when ElementType(type) is not null => "a list",
            _ => type.Name.EndsWith("Options", StringComparison.Ordinal) ? "settings of " + type.Name[..^"Options".Length] : "a " + type.Name,
        };
    }

    /// <summary>Edit distance, for "did you mean" on short setting names.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
