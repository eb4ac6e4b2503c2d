namespace Continuity.Mail.Sync;

/// <summary>
/// Checks <see cref="MailboxSyncOptions"/> against the tenants it names and reports every error at once, each with its
/// configuration path (<c>Continuity:Mail:Sync:BatchSize</c>, <c>Continuity:Tenants:demo:Providers:primary:Mail:Imap</c>).
/// </summary>
internal sealed class MailboxSyncOptionsValidator(IOptions<ContinuityOptions> continuity) : SectionOptionsValidator<MailboxSyncOptions>(continuity, Check)
{
    private const string Root = MailboxSyncOptions.SectionName;

    public static ConfigurationErrorCollection Check(MailboxSyncOptions options, ContinuityOptions continuity)
    {
        var errors = new ConfigurationErrorCollection();
        errors.Span($"{Root}:PollInterval", options.PollInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        errors.Span($"{Root}:MaxLag", options.MaxLag, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (options.MaxLag < options.PollInterval)
        {
            errors.Add($"{Root}:MaxLag", $"must be at least PollInterval ({options.PollInterval}), or every user reads as lagging");
        }

        errors.Range($"{Root}:MaxParallelUsers", options.MaxParallelUsers, 1, 256);
        errors.Range($"{Root}:MaxParallelPerBackend", options.MaxParallelPerBackend, 1, 64);
        errors.Range($"{Root}:BatchSize", options.BatchSize, 1, 10_000);
        errors.Range($"{Root}:AppendBatchSize", options.AppendBatchSize, 1, 1_000);
        if (options.AppendBatchBytes < 1024 * 1024)
        {
            errors.Add($"{Root}:AppendBatchBytes", "must be at least 1048576 (1 MiB)");
        }

        errors.Span($"{Root}:CommandTimeout", options.CommandTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        if (options.LeaseDuration <= options.CommandTimeout)
        {
            errors.Add($"{Root}:LeaseDuration", $"must be longer than CommandTimeout ({options.CommandTimeout}), or a slow command outlives the lease");
        }

        foreach (var (source, target) in options.FolderMappings)
        {
            if (string.IsNullOrWhiteSpace(source) || string.IsNullOrWhiteSpace(target))
            {
                errors.Add($"{Root}:FolderMappings:{source}", "source and destination folder names must not be blank");
            }
        }

        for (var i = 0; i < options.ExcludedFolders.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.ExcludedFolders[i]))
            {
                errors.Add($"{Root}:ExcludedFolders:{i}", "is blank");
            }
        }

        foreach (var (id, tenantSync) in options.Tenants)
        {
            if (tenantSync.Enabled)
            {
                CheckTenant(id, continuity, errors);
            }
        }

        return errors;
    }

    private static void CheckTenant(string id, ContinuityOptions continuity, ConfigurationErrorCollection errors)
    {
        if (!continuity.Tenants.TryGetValue(id, out var tenant))
        {
            errors.Add($"{Root}:Tenants:{id}", "names no tenant under Continuity:Tenants");
            return;
        }

        var primary = tenant.DefaultProvider;
        var sovereign = tenant.ResolveSovereignProvider();
        if (string.Equals(primary, sovereign, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Continuity:Tenants:{id}:Providers", "mailbox sync needs two providers (the default and a sovereign one)");
            return;
        }

        foreach (var name in new[] { primary, sovereign })
        {
            var path = $"Continuity:Tenants:{id}:Providers:{name}:Mail";
            if (tenant.FindProvider(name) is not { } found || tenant.Providers[found].Mail is not { } mail)
            {
                errors.Add(path, "is missing; mailbox sync needs the provider's Imap URI and master login");
                continue;
            }

            if (!ImapEndpoint.TryParse(mail.Imap, out _))
            {
                errors.Add($"{path}:Imap", "must be imap://host:port or imaps://host:port");
            }

            MailLoginCheck.Check($"{path}:Login", mail.Login, "mailbox sync", errors.Add);
        }
    }
}
