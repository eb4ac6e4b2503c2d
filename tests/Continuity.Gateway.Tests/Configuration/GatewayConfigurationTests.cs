using Continuity.Core.Configuration;
using Continuity.Gateway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Continuity.Gateway.Tests.Configuration;

/// <summary>The one list of bound sections and the validators <c>config check</c> runs stay those of the host.</summary>
public sealed class GatewayConfigurationTests
{
    [Fact]
    public void Sections_EveryOptionsTypeTheHostBinds_IsListedOrASettingOfOne()
    {
        var services = new ServiceCollection().AddContinuityGateway(new ConfigurationBuilder().Build());
        var listed = GatewayConfiguration.Sections.Select(s => s.OptionsType).ToList();
        var reachable = new HashSet<Type>();
        var queue = new Queue<Type>(listed);
        while (queue.TryDequeue(out var type))
        {
            if (reachable.Add(type))
            {
                foreach (var property in ConfigurationShape.Settings(type))
                {
                    var inner = ConfigurationShape.DictionaryValue(property.PropertyType) ?? ConfigurationShape.ElementType(property.PropertyType) ?? property.PropertyType;
                    queue.Enqueue(inner);
                }
            }
        }

        var bound = Closed(services, typeof(IOptionsChangeTokenSource<>)).Where(t => t.Namespace!.StartsWith("Continuity.", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(bound);
        Assert.All(bound, t => Assert.True(reachable.Contains(t), $"{t.Name} is bound by the host but not under GatewayConfiguration.Sections: its keys would read as unknown"));
    }

    [Fact]
    public void Validators_EveryValidatorTheHostRuns_IsRunByConfigCheck()
    {
        var services = new ServiceCollection().AddContinuityGateway(new ConfigurationBuilder().Build());

        var registered = services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
            .Select(d => d.ImplementationType ?? d.ImplementationInstance?.GetType())
            .OfType<Type>()
            .Where(t => t.Namespace!.StartsWith("Continuity.", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.NotEmpty(registered);
        Assert.All(registered, t => Assert.Contains(t, ConfigurationCheck.Validators));
    }

    private static IEnumerable<Type> Closed(IServiceCollection services, Type open) =>
        services.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == open)
            .Select(d => d.ServiceType.GetGenericArguments()[0]).Distinct();
}
