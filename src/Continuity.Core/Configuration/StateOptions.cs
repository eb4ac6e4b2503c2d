namespace Continuity.Core.Configuration;

/// <summary>Where shared state lives.</summary>
public sealed class StateOptions
{
    /// <summary>
    /// StackExchange.Redis connection string of an external Redis / Valkey / Garnet.
    /// <c>null</c> (the default) starts an embedded Garnet server on loopback in <see cref="ContinuityOptions.DataDir"/>.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Port of the embedded Garnet server; 0 (default) picks a free loopback port at each start.</summary>
    public int EmbeddedPort { get; set; }

    /// <summary>Memory for the embedded Garnet log. 64m holds far more routing state than any tenant has.</summary>
    public string EmbeddedMemory { get; set; } = "64m";

    /// <summary>
    /// Prefix of every key the gateway writes, so one Redis can serve several deployments.
    /// Default <c>{continuity}:</c>: the hash tag keeps every key in one Redis Cluster slot, so the
    /// atomic route script can touch the route, version and audit keys together.
    /// </summary>
    public string KeyPrefix { get; set; } = "{continuity}:";

    /// <summary>
    /// How often a node re-reads the route version even without a pub/sub message
    /// (pub/sub is at-most-once). Default 2 s: a lost message costs at most this long.
    /// </summary>
    public TimeSpan RouteRecheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
