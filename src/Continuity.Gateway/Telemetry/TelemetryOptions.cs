namespace Continuity.Gateway.Telemetry;

/// <summary>
/// Metrics export beyond <c>/metrics</c>, bound from <c>Continuity:Telemetry</c>. The Prometheus endpoint is always
/// there (admin credential or management listener); OTLP push is off until <see cref="OtlpOptions.Endpoint"/> is set.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Continuity:Telemetry";

    /// <summary>Push metrics to an OpenTelemetry collector (or any OTLP receiver) as well.</summary>
    public OtlpOptions Otlp { get; set; } = new();
}

/// <summary>OTLP metrics export; off while <see cref="Endpoint"/> is null.</summary>
public sealed class OtlpOptions
{
    /// <summary>
    /// The collector: <c>http://collector:4317</c> for gRPC, <c>http://collector:4318/v1/metrics</c> for HTTP/protobuf
    /// (the full path: it is used as it is). Default null: no OTLP export.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary><c>Grpc</c> (default, port 4317) or <c>HttpProtobuf</c> (port 4318).</summary>
    public OtlpTransport Protocol { get; set; } = OtlpTransport.Grpc;

    /// <summary>How often metrics are pushed. Default 60 s, the OpenTelemetry SDK's own default.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Extra request headers, <c>name=value</c> pairs separated by commas (e.g. an API key the collector wants), as
    /// <c>OTEL_EXPORTER_OTLP_HEADERS</c> writes them. A secret: give it through an environment variable
    /// (<c>Continuity__Telemetry__Otlp__Headers</c>); <c>config show</c> does not print it.
    /// </summary>
    public string? Headers { get; set; }
}

/// <summary>The OTLP transport.</summary>
public enum OtlpTransport
{
    Grpc,
    HttpProtobuf,
}
