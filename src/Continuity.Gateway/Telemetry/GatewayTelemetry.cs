using System.Diagnostics.Metrics;
using System.Reflection;
using Continuity.Core.Metrics;
using Continuity.Gateway.Health;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Continuity.Gateway.Telemetry;

/// <summary>
/// Metrics through OpenTelemetry: the gateway's own instruments (<see cref="ContinuityMetrics"/>, <see cref="GatewayMetrics"/>),
/// ASP.NET Core's HTTP server metrics and the .NET runtime's, exported as Prometheus text at <c>/metrics</c> (an admin
/// credential, or the management listener — <see cref="ManagementListener"/>) and, when <c>Continuity:Telemetry:Otlp</c>
/// names a collector, pushed over OTLP.
/// </summary>
internal static class GatewayTelemetry
{
    private static readonly string Version =
        typeof(GatewayTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static IServiceCollection AddContinuityTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStartWith<TelemetryOptions, TelemetryOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<StoreMetricsSampler>();
        services.AddSingleton<GatewayMetrics>();

        // Read here for what the exporter needs at registration; `config check` and the validator report a bad value.
        var otlp = TryBind(configuration)?.Otlp;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("continuity", serviceVersion: Version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ContinuityMetrics.MeterName, Readiness.ReadinessMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter(o =>
                    {
                        // Every scrape is fresh (pending approvals were just sampled) and carries no otel_scope_* labels:
                        // the series keep the names and labels /metrics always had.
                        o.ScrapeResponseCacheDurationMilliseconds = 0;
                        o.ScopeInfoEnabled = false;
                    });
                // Meters made by another host's IMeterFactory (tests run several gateways in one process) are not ours.
                ((IDeferredMeterProviderBuilder)metrics).Configure((sp, builder) =>
                {
                    var own = sp.GetRequiredService<IMeterFactory>();
                    builder.AddView(instrument => instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, own)
                        ? MetricStreamConfiguration.Drop
                        : null);
                });
                if (otlp?.Endpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Endpoint = new Uri(endpoint);
                        exporter.Protocol = otlp.Protocol == OtlpTransport.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                        exporter.Headers = otlp.Headers;
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.Interval.TotalMilliseconds;
                    });
                    services.AddHostedService<StoreMetricsRefresher>();
                }
            });
        return services;
    }

    /// <summary><c>/metrics</c>: store-backed gauges sampled, then the exporter's text, cut to the caller's tenant unless on the management listener.</summary>
    public static IEndpointConventionBuilder MapContinuityMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(SampleAndFilterAsync), optionsName: null)
            .RequireAuthorization(ManagementListener.PolicyName);

    private static async Task SampleAndFilterAsync(HttpContext http, RequestDelegate next)
    {
        // The gauges are created with the first scrape's services; sampling first makes this scrape current.
        _ = http.RequestServices.GetRequiredService<GatewayMetrics>();
        await http.RequestServices.GetRequiredService<StoreMetricsSampler>().RefreshAsync(http.RequestAborted);
        var listeners = http.RequestServices.GetRequiredService<IOptions<ContinuityOptions>>().Value.Listeners;
        var visible = ManagementListener.IsManagement(http, listeners) ? null : ManagementListener.Visible(http, listeners);
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var text = MetricsTenantFilter.Filter(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), visible);
        var bytes = Encoding.UTF8.GetBytes(text);
        http.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, http.RequestAborted);
    }

    private static TelemetryOptions? TryBind(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
