namespace Continuity.Mail.Spool;

/// <summary>The two deliveries a recipient may need.</summary>
internal enum TargetKind
{
    /// <summary>To the provider the recipient is routed to at delivery time.</summary>
    Main,

    /// <summary>The continuity copy to the tenant's sovereign provider while the user is routed elsewhere.</summary>
    Copy,
}
