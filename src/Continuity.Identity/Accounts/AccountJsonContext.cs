using System.Text.Json.Serialization;

namespace Continuity.Identity.Accounts;

[JsonSerializable(typeof(Account))]
internal sealed partial class AccountJsonContext : JsonSerializerContext;
