using System.Text.Json.Serialization;

namespace Continuity.Mail.Spool;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(SpoolEnvelope))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
