using System.Reflection;
using System.Text.RegularExpressions;
using Continuity.Gateway.Tests.Configuration;
using Microsoft.Extensions.Logging;

namespace Continuity.Gateway.Tests.HouseRules;

/// <summary>
/// One logging style: the <c>[LoggerMessage]</c> methods of a class <c>X</c> live in its nested <c>Log</c> class,
/// declared in <c>X.Log.cs</c> beside <c>X.cs</c>, and are called as <c>Log.Something(logger, …)</c>.
/// </summary>
[Trait("Category", "Server")]
public sealed partial class LoggerMessagePlacementTests
{
    private static readonly string[] Assemblies = ["Continuity.Core", "Continuity.Identity", "Continuity.Mail", "Continuity.Web", "continuity"];

    [Fact]
    public void LoggerMessages_EveryAssembly_DeclaredInANestedLogClass()
    {
        var offenders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in Assemblies)
        {
            foreach (var method in LoggerMessages(Assembly.Load(name)))
            {
                var type = method.DeclaringType!;
                if (type.Name == "Log" && type.IsNested)
                {
                    continue;
                }

                offenders.Add($"{name}: {type.FullName}.{method.Name} (move it into {type.FullName}.Log, in {type.Name}.Log.cs)");
            }
        }

        Assert.True(offenders.Count == 0,
            $"[LoggerMessage] methods outside a nested Log class:{Environment.NewLine}{string.Join(Environment.NewLine, offenders)}");
    }

    [Fact]
    public void LoggerMessages_SourceFiles_OnlyInXDotLogBesideX()
    {
        var src = Path.Combine(ConfigCheckTests.RepoRoot(), "src");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || !Attribute().IsMatch(File.ReadAllText(file)))
            {
                continue;
            }

            var relative = Path.GetRelativePath(src, file);
            var fileName = Path.GetFileName(file);
            if (!fileName.EndsWith(".Log.cs", StringComparison.Ordinal))
            {
                offenders.Add($"{relative}: declares [LoggerMessage] methods; they belong in {fileName[..^3]}.Log.cs");
                continue;
            }

            var owner = fileName[..^".Log.cs".Length];
            if (!File.Exists(Path.Combine(Path.GetDirectoryName(file)!, owner + ".cs")))
            {
                offenders.Add($"{relative}: no {owner}.cs beside it");
            }
        }

        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    private static IEnumerable<MethodInfo> LoggerMessages(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<LoggerMessageAttribute>() is not null);

    /// <summary>The attribute on a line of its own (a mention in a doc comment does not count).</summary>
    [GeneratedRegex(@"^\s*\[LoggerMessage\b", RegexOptions.Multiline)]
    private static partial Regex Attribute();
}
