using System.Text.Json.Serialization;

namespace Continuity.Identity.Stores;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IdentityToken))]
[JsonSerializable(typeof(IdentityAuthorization))]
internal sealed partial class IdentityStoreJsonContext : JsonSerializerContext;
