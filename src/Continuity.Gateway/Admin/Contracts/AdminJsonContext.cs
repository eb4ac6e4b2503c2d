using System.Text.Json.Serialization;
using Continuity.Mail.Queue;

namespace Continuity.Gateway.Admin.Contracts;

/// <summary>
/// Every body the admin API reads or writes, generated at build time. The endpoints (<c>Admin/*Api.cs</c>) write with it
/// and the CLI's <see cref="Cli.AdminClient"/> reads with it, so a renamed or retyped field is a compile error on both
/// sides. Wire format: camelCase names, enums as their names (<c>"Applied"</c>), nulls written.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<TenantView>))]
[JsonSerializable(typeof(RoutesView))]
[JsonSerializable(typeof(RouteChangeBody))]
[JsonSerializable(typeof(RouteChangeAnswer))]
[JsonSerializable(typeof(List<DirectoryUser>))]
[JsonSerializable(typeof(UserImportBody))]
[JsonSerializable(typeof(UserImportAnswer))]
[JsonSerializable(typeof(SignalBody))]
[JsonSerializable(typeof(SignalAnswer))]
[JsonSerializable(typeof(List<ApprovalRequest>))]
[JsonSerializable(typeof(ApprovalRequest))]
[JsonSerializable(typeof(ApprovalView))]
[JsonSerializable(typeof(RejectBody))]
[JsonSerializable(typeof(List<AuditRecord>))]
[JsonSerializable(typeof(AuditVerification))]
[JsonSerializable(typeof(AuditChainHead))]
[JsonSerializable(typeof(QueueListing))]
[JsonSerializable(typeof(QueuedMessageView))]
[JsonSerializable(typeof(ItemStatusAnswer))]
[JsonSerializable(typeof(List<SyncStateView>))]
[JsonSerializable(typeof(SyncStateView))]
[JsonSerializable(typeof(AccountImportAnswer))]
[JsonSerializable(typeof(AccountView))]
[JsonSerializable(typeof(RevokeBody))]
[JsonSerializable(typeof(AccountRevokeAnswer))]
[JsonSerializable(typeof(List<AppPassword>))]
[JsonSerializable(typeof(AppPasswordBody))]
[JsonSerializable(typeof(AppPasswordCreated))]
[JsonSerializable(typeof(AdminProblem))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
