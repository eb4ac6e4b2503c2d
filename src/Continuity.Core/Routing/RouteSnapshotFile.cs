using System.Text.Json;
using Continuity.Core.IO;

namespace Continuity.Core.Routing;

/// <summary>
/// The node's fail-static copy of its last route snapshot (<c>&lt;data-dir&gt;/routes.snapshot.json</c>),
/// so a node restarted while the store is down still routes as before. Written atomically:
/// temp file, fsync, rename, fsync of the directory.
/// </summary>
public sealed class RouteSnapshotFile(string dataDir)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDir), "routes.snapshot.json");

    public void Write(RouteSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var dto = new SnapshotDto(snapshot.Version, snapshot.LoadedAt,
            snapshot.Tenants.ToDictionary(t => t.Key, t => new TenantDto(t.Value.DefaultProvider, t.Value.UserOverrides.ToDictionary())));
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        PrivateFiles.CreateDirectory(directory);
        var temp = Path + ".tmp";
        // 0600: who reads the snapshot learns who was moved where.
        using (var stream = new FileStream(temp, PrivateFiles.CreateOptions(FileMode.Create, FileOptions.WriteThrough)))
        {
            JsonSerializer.Serialize(stream, dto, Json);
            stream.Flush(flushToDisk: true);
        }

        PrivateFiles.Restrict(temp);
        File.Move(temp, Path, overwrite: true);
        DurableDirectory.Fsync(directory);
    }

    /// <summary>The saved snapshot, or null when there is none or it cannot be read.</summary>
    public async Task<RouteSnapshot?> TryReadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (!File.Exists(Path))
            {
                return null;
            }

            var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                var dto = await JsonSerializer.DeserializeAsync<SnapshotDto>(stream, Json, cancellationToken).ConfigureAwait(false);
                return dto is null ? null : new RouteSnapshot(dto.Version, dto.LoadedAt,
                    dto.Tenants.ToDictionary(t => t.Key, t => new TenantRoutes(t.Value.DefaultProvider, t.Value.Users)));
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record SnapshotDto(long Version, DateTimeOffset LoadedAt, Dictionary<string, TenantDto> Tenants);

    private sealed record TenantDto(string DefaultProvider, Dictionary<string, string> Users);
}
