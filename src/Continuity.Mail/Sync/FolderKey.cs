namespace Continuity.Mail.Sync;

/// <summary>Identifies one folder checkpoint: a user's source folder (by full name) in one sync direction.</summary>
internal sealed record FolderKey(string Tenant, string User, string Folder)
{
    public override string ToString() => $"{Tenant}/{User}/{Folder}";
}
