namespace Continuity.Mail.Sync;

/// <summary>A source folder and the destination folder its messages go to.</summary>
internal sealed record FolderPair(IMailFolder Source, IMailFolder Destination);
