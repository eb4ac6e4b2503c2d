using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Continuity.Gateway.Tests.HouseRules;

/// <summary>
/// An event id names one log message across the product: every <c>[LoggerMessage]</c> id of an assembly lies in that
/// assembly's <c>LogEventIds</c> range, and no id is used twice.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly string[] Assemblies = ["Continuity.Core", "Continuity.Identity", "Continuity.Mail", "Continuity.Web", "continuity"];

    [Fact]
    public void LoggerMessages_EveryAssembly_IdsInItsRangeAndUnique()
    {
        var seen = new Dictionary<int, string>();
        var problems = new List<string>();
        var ranges = new List<(int First, int Last, string Assembly)>();
        foreach (var name in Assemblies)
        {
            var assembly = Assembly.Load(name);
            var ids = assembly.GetTypes().Where(t => t.Name == "LogEventIds" && t.DeclaringType is null).ToList();
            Assert.True(ids.Count == 1, $"{name} has {ids.Count} LogEventIds classes; it must have exactly one");
            var first = (int)ids[0].GetField("First")!.GetRawConstantValue()!;
            var last = (int)ids[0].GetField("Last")!.GetRawConstantValue()!;
            ranges.Add((first, last, name));
            var messages = assembly.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
                .Where(m => m.Attribute is not null)
                .ToList();
            Assert.NotEmpty(messages);
            foreach (var (method, attribute) in messages)
            {
                var where = $"{method.DeclaringType!.FullName}.{method.Name}";
                var id = attribute!.EventId;
                if (id < first || id > last)
                {
                    problems.Add($"{where}: id {id} outside {name}'s range {first}–{last}");
                }

                if (!seen.TryAdd(id, where))
                {
                    problems.Add($"{where}: id {id} already used by {seen[id]}");
                }
            }
        }

        var overlapping = ranges.SelectMany(a => ranges.Where(b => a.Assembly != b.Assembly && a.First <= b.Last && b.First <= a.Last).Select(b => $"{a.Assembly} and {b.Assembly} ranges overlap"));
        problems.AddRange(overlapping.Distinct());
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
