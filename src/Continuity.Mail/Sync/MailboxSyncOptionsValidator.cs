using Continuity.Core.Configuration;
using Continuity.Mail.Backends;
using Microsoft.Extensions.Options;

namespace Continuity.Mail.Sync;

/// <summary>
/// Checks <see cref="MailboxSyncOptions"/> against the tenants it names and reports every error at once, each with its
/// configuration path (<c>Continuity:Mail:Sync:BatchSize</c>, <c>Continuity:Tenants:demo:Providers:primary:Mail:Imap</c>).
/// </summary>
internal sealed class MailboxSyncOptionsValidator(IOptions<ContinuityOptions> continuity) : SectionOptionsValidator<MailboxSyncOptions>(continuity)
{
    private const string Root = MailboxSyncOptions.SectionName;

    protected override IReadOnlyCollection<string> Errors(MailboxSyncOptions options, ContinuityOptions continuity) => Check(options, continuity);

    public static List<string> Check(MailboxSyncOptions options, ContinuityOptions continuity)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(continuity);
        var errors = new List<string>();
        void Error(string path, string message) => errors.Add($"{path}: {message}");

        Span("PollInterval", options.PollInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), Error);
        Span("MaxLag", options.MaxLag, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), Error);
        if (options.MaxLag < options.PollInterval)
        {
            Error($"{Root}:MaxLag", $"must be at least PollInterval ({options.PollInterval}), or every user reads as lagging");
        }

        Range("MaxParallelUsers", options.MaxParallelUsers, 1, 256, Error);
        Range("MaxParallelPerBackend", options.MaxParallelPerBackend, 1, 64, Error);
        Range("BatchSize", options.BatchSize, 1, 10_000, Error);
        Range("AppendBatchSize", options.AppendBatchSize, 1, 1_000, Error);
        if (options.AppendBatchBytes < 1024 * 1024)
        {
            Error($"{Root}:AppendBatchBytes", "must be at least 1048576 (1 MiB)");
        }

        Span("CommandTimeout", options.CommandTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), Error);
        if (options.LeaseDuration <= options.CommandTimeout)
        {
            Error($"{Root}:LeaseDuration", $"must be longer than CommandTimeout ({options.CommandTimeout}), or a slow command outlives the lease");
        }

        foreach (var (source, target) in options.FolderMappings)
        {
            if (string.IsNullOrWhiteSpace(source) || string.IsNullOrWhiteSpace(target))
            {
                Error($"{Root}:FolderMappings:{source}", "source and destination folder names must not be blank");
            }
        }

        for (var i = 0; i < options.ExcludedFolders.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.ExcludedFolders[i]))
            {
                Error($"{Root}:ExcludedFolders:{i}", "is blank");
            }
        }

        foreach (var (id, tenantSync) in options.Tenants)
        {
            if (tenantSync.Enabled)
            {
                CheckTenant(id, continuity, Error);
            }
        }

        return errors;
    }

    private static void CheckTenant(string id, ContinuityOptions continuity, Action<string, string> error)
    {
        if (!continuity.Tenants.TryGetValue(id, out var tenant))
        {
            error($"{Root}:Tenants:{id}", "names no tenant under Continuity:Tenants");
            return;
        }

        var primary = tenant.DefaultProvider;
        var sovereign = tenant.ResolveSovereignProvider();
        if (string.Equals(primary, sovereign, StringComparison.OrdinalIgnoreCase))
        {
            error($"Continuity:Tenants:{id}:Providers", "mailbox sync needs two providers (the default and a sovereign one)");
            return;
        }

        foreach (var name in new[] { primary, sovereign })
        {
            var path = $"Continuity:Tenants:{id}:Providers:{name}:Mail";
            if (tenant.FindProvider(name) is not { } found || tenant.Providers[found].Mail is not { } mail)
            {
                error(path, "is missing; mailbox sync needs the provider's Imap URI and master login");
                continue;
            }

            if (!ImapEndpoint.TryParse(mail.Imap, out _))
            {
                error($"{path}:Imap", "must be imap://host:port or imaps://host:port");
            }

            MailLoginCheck.Check($"{path}:Login", mail.Login, "mailbox sync", error);
        }
    }

    private static void Range(string key, int value, int min, int max, Action<string, string> error)
    {
        if (value < min || value > max)
        {
            error($"{Root}:{key}", $"must be between {min} and {max}");
        }
    }

    private static void Span(string key, TimeSpan value, TimeSpan min, TimeSpan max, Action<string, string> error)
    {
        if (value < min || value > max)
        {
            error($"{Root}:{key}", $"must be between {min} and {max}");
        }
    }
}
