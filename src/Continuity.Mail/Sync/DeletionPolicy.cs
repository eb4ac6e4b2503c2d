namespace Continuity.Mail.Sync;

/// <summary>What a message expunged on the source does to its copy.</summary>
public enum DeletionPolicy
{
    /// <summary>The copy stays (the mapping is forgotten).</summary>
    Keep,

    /// <summary>The copy is expunged too.</summary>
    Delete,
}
