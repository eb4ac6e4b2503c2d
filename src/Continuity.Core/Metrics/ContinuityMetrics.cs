using System.Diagnostics.Metrics;

namespace Continuity.Core.Metrics;

/// <summary>
/// The gateway's own instruments, on the meter <see cref="MeterName"/>. Parts record events here (a route change,
/// a cut-off signal, a sign-in, a message accepted or delivered, an IMAP session); the host exports them through
/// OpenTelemetry (Prometheus at <c>/metrics</c>, optionally OTLP). Names are the Prometheus names minus the
/// <c>_total</c> the exporter adds to counters. Label values come from configuration or fixed words, never from
/// what a client sends, so the number of series stays bounded.
/// </summary>
public sealed class ContinuityMetrics
{
    public const string MeterName = "Continuity";

    /// <summary>Tenant label of mail whose recipient is in no tenant (relayed, bounces to outside).</summary>
    public const string NoTenant = "-";

    private readonly Counter<long> _routeChanges;
    private readonly Counter<long> _cutoffSignals;
    private readonly Counter<long> _signIns;
    private readonly Counter<long> _mailAccepted;
    private readonly Counter<long> _mailDelivered;
    private readonly Counter<long> _mailDeferred;
    private readonly Counter<long> _mailBounced;
    private readonly UpDownCounter<long> _imapSessions;
    private readonly Counter<long> _imapSessionsOpened;

    /// <param name="meters">The host's meter factory (so each host's instruments are its own); null: a meter of this object's own.</param>
    public ContinuityMetrics(IMeterFactory? meters = null)
    {
        Meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _routeChanges = Meter.CreateCounter<long>("continuity_route_changes",
            description: "Route changes applied (admin, approval or signal), per tenant and scope (user or tenant).");
        _cutoffSignals = Meter.CreateCounter<long>("continuity_cutoff_signals",
            description: "Cut-off signals raised, per tenant and source (identity, mx, imap, web-probe, …).");
        _signIns = Meter.CreateCounter<long>("continuity_signins",
            description: "Sign-ins through an upstream identity provider, per tenant, provider and outcome.");
        _mailAccepted = Meter.CreateCounter<long>("continuity_mail_accepted",
            description: "Recipients accepted by the MX (spooled and fsync'd before the 250), per tenant.");
        _mailDelivered = Meter.CreateCounter<long>("continuity_mail_delivered",
            description: "Recipients delivered to a backend, per tenant, provider and kind (main or continuity copy).");
        _mailDeferred = Meter.CreateCounter<long>("continuity_mail_deferred",
            description: "Delivery attempts deferred for a later retry, per tenant and provider.");
        _mailBounced = Meter.CreateCounter<long>("continuity_mail_bounced",
            description: "Recipients that failed for good (a DSN goes back to the sender), per tenant.");
        _imapSessions = Meter.CreateUpDownCounter<long>("continuity_imap_sessions",
            description: "IMAP client sessions open on this node.");
        _imapSessionsOpened = Meter.CreateCounter<long>("continuity_imap_sessions_opened",
            description: "IMAP client sessions accepted by this node.");
    }

    /// <summary>The meter: the host adds its observable gauges to it.</summary>
    public Meter Meter { get; }

    public void RouteChanged(string tenant, bool wholeTenant) =>
        _routeChanges.Add(1, Tag("tenant", tenant), Tag("scope", wholeTenant ? "tenant" : "user"));

    public void CutoffSignal(string tenant, string source) =>
        _cutoffSignals.Add(1, Tag("tenant", tenant), Tag("source", source));

    /// <param name="outcome"><c>succeeded</c>, <c>refused</c> (the gateway refused the upstream's answer), <c>failed</c> (the upstream refused or did not answer), <c>error</c>.</param>
    public void SignIn(string tenant, string provider, string outcome) =>
        _signIns.Add(1, Tag("tenant", tenant), Tag("provider", provider), Tag("outcome", outcome));

    public void MailAccepted(string? tenant) => _mailAccepted.Add(1, Tag("tenant", tenant ?? NoTenant));

    public void MailDelivered(string? tenant, string provider, string kind) =>
        _mailDelivered.Add(1, Tag("tenant", tenant ?? NoTenant), Tag("provider", provider), Tag("kind", kind));

    public void MailDeferred(string? tenant, string provider) =>
        _mailDeferred.Add(1, Tag("tenant", tenant ?? NoTenant), Tag("provider", provider));

    public void MailBounced(string? tenant) => _mailBounced.Add(1, Tag("tenant", tenant ?? NoTenant));

    public void ImapSessionOpened()
    {
        _imapSessionsOpened.Add(1);
        _imapSessions.Add(1);
    }

    public void ImapSessionClosed() => _imapSessions.Add(-1);

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
