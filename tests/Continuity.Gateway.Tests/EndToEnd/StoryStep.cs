using System.Diagnostics;
using Continuity.Testing.Story;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Continuity.Gateway.Tests.EndToEnd;

/// <summary>
/// Runs the story one named step at a time: writes each step's time to the test output, and when a step fails,
/// fails the test with the step's name and what every part of the story wrote (gateway, both upstreams).
/// </summary>
internal sealed class StoryStep(ITestOutputHelper output, Stopwatch clock, ContinuityStory story)
{
    public async Task RunAsync(string name, Func<Task> step)
    {
        var started = clock.Elapsed;
        try
        {
            await step();
        }
        catch (Exception e) when (e is XunitException or TimeoutException or InvalidOperationException or HttpRequestException or IOException)
        {
            output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] FAILED: {name}");
            throw new XunitException($"Step failed: {name}\n{e.GetType().Name}: {e.Message}\n{story.Describe()}", e);
        }

        output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {name} ({(clock.Elapsed - started).TotalSeconds:0.0} s)");
    }
}
