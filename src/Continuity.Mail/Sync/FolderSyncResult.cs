namespace Continuity.Mail.Sync;

/// <summary>What one run did to one folder.</summary>
public sealed class FolderSyncResult(string source, string destination)
{
    public string Source { get; } = source;

    public string Destination { get; } = destination;

    /// <summary>Messages APPENDed to the destination.</summary>
    public int Copied { get; set; }

    /// <summary>Source messages matched to a copy already in the destination (by Message-ID or content hash) instead of copied.</summary>
    public int Matched { get; set; }

    /// <summary>Destination messages whose flags or keywords were changed.</summary>
    public int FlagsUpdated { get; set; }

    /// <summary>Destination messages expunged because their source was (policy <see cref="DeletionPolicy.Delete"/>).</summary>
    public int Deleted { get; set; }

    /// <summary>Flags and keywords left off copies because the destination does not store or refused them (each logged).</summary>
    public int KeywordsDropped { get; set; }

    /// <summary>Messages that could not be copied whole, with the reason (also logged).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The folder's error when the run could not finish it, else null.</summary>
    public string? Error { get; set; }
}
