namespace Continuity.Gateway.Cli.Verbs;

/// <summary>
/// <c>readiness</c> (if we fail over now, what breaks?) and <c>drill</c> (a continuity drill, <c>--live</c> for a real
/// round trip of test users). The work is in <see cref="DrillCommands"/>.
/// </summary>
internal static class DrillVerbs
{
    public static IEnumerable<Command> Create()
    {
        var tenant = CliOptions.Tenant(required: true);
        var user = CliOptions.Text("--user", "ADDRESS", "Only this user (default: every known user of the tenant)", required: false);
        var readiness = CliOptions.AdminCommand("readiness", "If we fail over now, what breaks? Exit 1 when a user is not ready", tenant, user)
            .Runs(async c =>
            {
                // A tenant-wide check logs in to every user's sovereign mailbox: longer than one API call's usual 30 s.
                using var client = c.Client(TimeSpan.FromMinutes(5));
                return await DrillCommands.ReadinessAsync(client, c.Required(tenant), c.Get(user), c.Json, c.Out, c.Error, c.Cancellation);
            });

        var drillTenant = CliOptions.Tenant(required: true);
        var users = new Option<string[]>("--user")
        {
            Description = "A user to drill (repeat for more)",
            HelpName = "ADDRESS",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.OneOrMore,
        };
        users.Validators.Add(r =>
        {
            if (r.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                r.AddError("--user cannot be blank");
            }
        });
        var live = new Option<bool>("--live") { Description = "Move the (test) users to the sovereign side and back, timing each channel" };
        var drill = CliOptions.AdminCommand("drill", "A continuity drill: readiness plus probes, or with --live a real round trip; exit 1 when it failed", drillTenant, users, live)
            .Runs(async c =>
            {
                using var client = c.Client();
                return await DrillCommands.DrillAsync(client, c.Required(drillTenant), c.Required(users), c.Get(live), c.Json, c.Out, c.Error, cancellationToken: c.Cancellation);
            });
        return [readiness, drill];
    }
}
