using System.Diagnostics;
using System.Globalization;
using Continuity.Testing;

namespace Continuity.Benchmarks;

/// <summary>
/// The peer: <c>mbsync</c> (isync) copying the same mailbox from the same primary to its own fresh Dovecot, logged in
/// through the same master user, with a channel that does what our forward sync does — every folder
/// (<c>Patterns *</c>), new messages and flag changes pulled (<c>Sync Pull New Flags</c>), missing folders created
/// on the near side, internal dates kept (<c>CopyArrivalDate yes</c>) — and its sync state in its own directory.
/// </summary>
internal sealed class MailboxSyncPeer
{
    private readonly string _mbsync;
    private readonly string _config;

    public MailboxSyncPeer(string mbsync, DovecotServer primary, DovecotServer near, string user, string dir)
    {
        _mbsync = mbsync;
        var state = Path.Combine(dir, "syncstate");
        Directory.CreateDirectory(state);
        var password = Path.Combine(dir, "master-password");
        File.WriteAllText(password, DovecotServer.MasterPassword + "\n");
        _config = Path.Combine(dir, "mbsyncrc");
        File.WriteAllText(_config, string.Create(CultureInfo.InvariantCulture, $"""
            IMAPStore primary
            Host 127.0.0.1
            Port {primary.ImapPort}
            User {user}*{DovecotServer.MasterUser}
            PassCmd "cat {password}"
            SSLType None
            AuthMechs LOGIN

            IMAPStore sovereign
            Host 127.0.0.1
            Port {near.ImapPort}
            User {user}*{DovecotServer.MasterUser}
            PassCmd "cat {password}"
            SSLType None
            AuthMechs LOGIN

            Channel continuity
            Far :primary:
            Near :sovereign:
            Patterns *
            Sync Pull New Flags
            Create Near
            CopyArrivalDate yes
            SyncState {state}/

            """));
    }

    /// <summary>Max resident set size of the last run (from <c>/usr/bin/time -v</c>), or null without it.</summary>
    public long? LastMaxRss { get; private set; }

    /// <summary>One <c>mbsync continuity</c> run (under <c>/usr/bin/time -v</c> when installed), to its end; returns its wall time.</summary>
    public async Task<TimeSpan> RunAsync()
    {
        var timed = File.Exists(MailboxSyncMemory.Time);
        var psi = new ProcessStartInfo(timed ? MailboxSyncMemory.Time : _mbsync) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (timed ? new[] { "-v", _mbsync } : []).Concat(["-c", _config, "-q", "continuity"]))
        {
            psi.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {_mbsync}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        LastMaxRss = timed ? MailboxSyncMemory.MaxRss(await errors.ConfigureAwait(false)) : null;
        return process.ExitCode == 0
            ? elapsed
            : throw new InvalidOperationException($"mbsync failed ({process.ExitCode}): {await output.ConfigureAwait(false)}{await errors.ConfigureAwait(false)}");
    }
}
