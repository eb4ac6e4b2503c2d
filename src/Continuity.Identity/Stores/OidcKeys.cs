namespace Continuity.Identity.Stores;

/// <summary>
/// Keys of the OIDC stores, under the state prefix (default <c>{continuity}:</c>, one cluster slot).
/// <code>
/// {continuity}:oidc:token:{id}              HASH  v → version, d → token JSON. TTL: expiry + <see cref="Retention"/>
///                                                 (no expiry: the refresh token lifetime), so no pruning job is needed.
/// {continuity}:oidc:token-ref:{reference}   STRING token id (reference tokens). Same TTL as the token.
/// {continuity}:oidc:tokens:sub:{subject}    SET   token ids of a subject. TTL refreshed to the longest member's on add.
/// {continuity}:oidc:tokens:app:{client}     SET   token ids of an application. Same.
/// {continuity}:oidc:tokens:authz:{id}       SET   token ids of an authorization. Same.
/// {continuity}:oidc:authz:{id}              HASH  v → version, d → authorization JSON. TTL extended by each token issued under it.
/// {continuity}:oidc:authzs:sub:{subject}    SET   authorization ids of a subject.
/// {continuity}:oidc:authzs:app:{client}     SET   authorization ids of an application.
/// </code>
/// Index sets may hold ids whose entry has expired: readers skip them (and remove them).
/// </summary>
internal sealed class OidcKeys(StateKeys keys)
{
    /// <summary>How long an entry outlives its expiry, so a replayed code is still recognised as redeemed.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private string P => keys.Prefix + "oidc:";

    public string Token(string id) => P + "token:" + id;
    public string TokenReference(string reference) => P + "token-ref:" + reference;
    public string TokensBySubject(string subject) => P + "tokens:sub:" + subject;
    public string TokensByApplication(string id) => P + "tokens:app:" + id;
    public string TokensByAuthorization(string id) => P + "tokens:authz:" + id;
    public string Authorization(string id) => P + "authz:" + id;
    public string AuthorizationsBySubject(string subject) => P + "authzs:sub:" + subject;
    public string AuthorizationsByApplication(string id) => P + "authzs:app:" + id;
}
