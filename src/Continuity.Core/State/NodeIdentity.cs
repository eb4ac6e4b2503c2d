using Continuity.Core.IO;

namespace Continuity.Core.State;

/// <summary>
/// Who this node is across restarts: <see cref="Id"/> is made once and kept in <c>&lt;DataDir&gt;/node-id</c>;
/// <see cref="RunId"/> is new at every start. A lease held under this <see cref="Id"/> but another
/// <see cref="RunId"/> belongs to this node's previous run, which crashed: the node may take it back at
/// once instead of waiting for it to expire. Two processes must never share a data directory.
/// </summary>
public sealed class NodeIdentity
{
    public NodeIdentity(IOptions<ContinuityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataDir = Path.GetFullPath(options.Value.DataDir);
        PrivateFiles.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, "node-id");
        if (!File.Exists(path) || File.ReadAllText(path).Trim() is not { Length: 32 })
        {
            PrivateFiles.WriteAllText(path, Guid.NewGuid().ToString("N"));
        }

        Id = File.ReadAllText(path).Trim();
    }

    public string Id { get; }

    public string RunId { get; } = Guid.NewGuid().ToString("N");
}
