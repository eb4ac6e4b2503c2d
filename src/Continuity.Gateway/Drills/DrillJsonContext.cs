using System.Text.Json.Serialization;

namespace Continuity.Gateway.Drills;

/// <summary>The drill and readiness contracts as the admin API sends them, the store keeps them and the CLI reads them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DrillReport))]
[JsonSerializable(typeof(List<DrillReport>))]
[JsonSerializable(typeof(DrillRequestBody))]
[JsonSerializable(typeof(UserReadiness))]
[JsonSerializable(typeof(TenantReadiness))]
internal sealed partial class DrillJsonContext : JsonSerializerContext;
