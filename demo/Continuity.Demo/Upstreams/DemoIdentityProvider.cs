using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Continuity.Demo.Upstreams;

/// <summary>
/// DEMO stand-in for an upstream OpenID Provider (the primary's Entra ID, the sovereign's Keycloak): authorization
/// code flow with PKCE for one confidential client (the gateway), RS256 ID tokens, userinfo, and a user picker
/// instead of passwords. Its home page lists the people with a "cut off" button each; a cut-off person is refused at
/// the token endpoint the way Entra ID refuses a disabled account (<c>400 invalid_grant</c>, <c>AADSTS50057</c>,
/// <c>error_codes: [50057]</c>): back-channel evidence the gateway acts on. Everything is in memory.
/// Not an OpenID Provider anyone should deploy: no consent, no sessions, no refresh tokens, no rate limits.
/// </summary>
internal sealed class DemoIdentityProvider(string name, string displayName, string colour, Uri issuer, string clientId, string clientSecret, Uri redirectUri, TimeProvider time)
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = name + "-demo-key" };
    private readonly ConcurrentDictionary<string, AuthorizeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private readonly ConcurrentDictionary<string, (DemoUser User, DateTimeOffset Expires)> _tokens = new();
    private readonly ConcurrentDictionary<string, bool> _cutOff = new(StringComparer.OrdinalIgnoreCase);
    private readonly JsonWebTokenHandler _jwt = new();

    public string Name => name;

    public Uri Issuer => issuer;

    public bool IsCutOff(string address) => _cutOff.ContainsKey(address);

    public void Map(WebApplication app)
    {
        app.MapGet("/", Home);
        app.MapPost("/cutoff", (HttpRequest request) => Toggle(request, cut: true)).DisableAntiforgery();
        app.MapPost("/restore", (HttpRequest request) => Toggle(request, cut: false)).DisableAntiforgery();
        app.MapGet("/.well-known/openid-configuration", Discovery);
        app.MapGet("/jwks", Jwks);
        app.MapGet("/authorize", Authorize);
        app.MapPost("/authorize", Decide).DisableAntiforgery();
        app.MapPost("/token", Token).DisableAntiforgery();
        app.MapGet("/userinfo", UserInfo);
        app.MapPost("/userinfo", UserInfo).DisableAntiforgery();
    }

    /// <summary>The stable upstream subject of a person here: different at each upstream, as in real life.</summary>
    public string SubjectOf(DemoUser user) =>
        name[..1] + "-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name + "/" + user.Address)))[..16].ToLowerInvariant();

    private IResult Home()
    {
        var rows = new StringBuilder();
        foreach (var user in DemoUser.All)
        {
            var cut = IsCutOff(user.Address);
            rows.Append(CultureInfo.InvariantCulture, $"<tr><td>{DemoPage.Encode(user.Address)}</td><td>{DemoPage.Encode(user.Role)}</td>")
                .Append(cut ? "<td class=\"cut\">cut off (AADSTS50057: account disabled)</td>" : "<td>active</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><form method=\"post\" action=\"/{(cut ? "restore" : "cutoff")}\">")
                .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"user\" value=\"{DemoPage.Encode(user.Address)}\">")
                .Append(CultureInfo.InvariantCulture, $"<button type=\"submit\" aria-label=\"{(cut ? "Restore" : "Cut off")} {DemoPage.Encode(user.Address)}\">{(cut ? "Restore" : "Cut off")}</button></form></td></tr>");
        }

        var body = $"""
            <p>This pretends to be the <strong>{DemoPage.Encode(name)}</strong> provider's identity service
            (issuer <code>{DemoPage.Encode(issuer.AbsoluteUri)}</code>). The gateway federates to it; people never come here on their own.</p>
            <h2>People</h2>
            <p>"Cut off" makes this provider refuse the person the way Microsoft Entra ID refuses a disabled account: at the
            token endpoint, <code>400 invalid_grant</code> with <code>AADSTS50057</code>. The gateway sees that refusal on its
            back channel and raises a cut-off signal.</p>
            <table><thead><tr><th scope="col">address</th><th scope="col">role</th><th scope="col">state</th><th scope="col">action</th></tr></thead><tbody>{rows}</tbody></table>
            """;
        return DemoPage.Html($"{displayName} — identity", $"the {name} provider's identity service", colour, body);
    }

    private async Task<IResult> Toggle(HttpRequest request, bool cut)
    {
        if (!request.HasFormContentType)
        {
            return Problem("Expected a form post.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        if (DemoUser.Find(form["user"]) is not { } user)
        {
            return DemoPage.Html("Unknown person", $"the {name} provider's identity service", colour, "<p>No such person here. <a href=\"/\">Back</a></p>", StatusCodes.Status400BadRequest);
        }

        if (cut)
        {
            _cutOff[user.Address] = true;
        }
        else
        {
            _cutOff.TryRemove(user.Address, out _);
        }

        return Results.Redirect("/");
    }

    private IResult Discovery()
    {
        var root = issuer.AbsoluteUri.TrimEnd('/');
        return Results.Json(new JsonObject
        {
            ["issuer"] = issuer.AbsoluteUri,
            ["authorization_endpoint"] = root + "/authorize",
            ["token_endpoint"] = root + "/token",
            ["userinfo_endpoint"] = root + "/userinfo",
            ["jwks_uri"] = root + "/jwks",
            ["response_types_supported"] = new JsonArray("code"),
            ["response_modes_supported"] = new JsonArray("query"),
            ["grant_types_supported"] = new JsonArray("authorization_code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic", "client_secret_post"),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
            // RFC 9207: the authorization response carries iss, so a mix-up attack cannot swap upstreams.
            ["authorization_response_iss_parameter_supported"] = true,
            ["scopes_supported"] = new JsonArray("openid", "email", "profile"),
            ["claims_supported"] = new JsonArray("sub", "email", "email_verified", "name", "preferred_username"),
        });
    }

    private IResult Jwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
        return Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = _key.KeyId,
                ["n"] = jwk.N,
                ["e"] = jwk.E,
            }),
        });
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        if (q["client_id"] != clientId || q["redirect_uri"] != redirectUri.AbsoluteUri)
        {
            // Never redirect to an unknown client's URI (RFC 6749 §4.1.2.1).
            return Problem("This demo provider knows one client: the demo gateway, with its one redirect URI.");
        }

        var state = (string?)q["state"];
        if (q["response_type"] != "code" || !(q["scope"].ToString() ?? "").Split(' ').Contains("openid"))
        {
            return Results.Redirect(ErrorRedirect("unsupported_response_type", "response_type=code and scope openid only", state));
        }

        if (!string.IsNullOrEmpty(q["code_challenge"]) && q["code_challenge_method"] != "S256")
        {
            return Results.Redirect(ErrorRedirect("invalid_request", "code_challenge_method must be S256", state));
        }

        var id = NewId();
        _requests[id] = new AuthorizeRequest(state, q["nonce"], q["code_challenge"], time.GetUtcNow() + CodeLifetime * 10);
        var hint = DemoUser.Find(q["login_hint"]);
        var buttons = new StringBuilder();
        foreach (var user in DemoUser.All.OrderBy(u => u == hint ? 0 : 1))
        {
            buttons.Append(CultureInfo.InvariantCulture,
                $"<li><button type=\"submit\" name=\"user\" value=\"{DemoPage.Encode(user.Address)}\"{(user == hint ? " autofocus class=\"big\"" : "")}>Sign in as {DemoPage.Encode(user.Address)}</button> {DemoPage.Encode(user.Name)}, {DemoPage.Encode(user.Role)}{(IsCutOff(user.Address) ? " <span class=\"cut\">(cut off here)</span>" : "")}</li>");
        }

        var body = $"""
            <p>The gateway asked this provider to sign someone in{(hint is null ? "" : $" (it suggested <strong>{DemoPage.Encode(hint.Address)}</strong>)")}.
            A real provider would ask for a password and a second factor; this stand-in lets you pick a person.</p>
            <form method="post" action="/authorize"><input type="hidden" name="request" value="{id}"><ul>{buttons}</ul>
            <p><button type="submit" name="user" value="">Cancel</button></p></form>
            """;
        return DemoPage.Html($"{displayName} — sign in", $"the {name} provider's sign-in page", colour, body);
    }

    private async Task<IResult> Decide(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return Problem("Expected a form post.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        if (!_requests.TryRemove(form["request"].ToString(), out var pending) || pending.Expires < time.GetUtcNow())
        {
            return Problem("This sign-in request is unknown or expired: start again from the gateway's page.");
        }

        if (DemoUser.Find(form["user"]) is not { } user)
        {
            return Results.Redirect(ErrorRedirect("access_denied", "The user cancelled the sign-in.", pending.State));
        }

        var code = NewId();
        _codes[code] = new Grant(user, pending.Nonce, pending.CodeChallenge, time.GetUtcNow() + CodeLifetime);
        var target = $"{redirectUri.AbsoluteUri}?code={code}&iss={Uri.EscapeDataString(issuer.AbsoluteUri)}";
        return Results.Redirect(pending.State is null ? target : target + "&state=" + Uri.EscapeDataString(pending.State));
    }

    private async Task<IResult> Token(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_request", "The token request must be application/x-www-form-urlencoded.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var (id, secret) = ClientCredentials(request, form);
        if (id != clientId || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret ?? ""), Encoding.UTF8.GetBytes(clientSecret)))
        {
            return TokenError(StatusCodes.Status401Unauthorized, "invalid_client", "Unknown client or wrong secret.");
        }

        if (form["grant_type"] != "authorization_code")
        {
            return TokenError(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only authorization_code.");
        }

        if (!_codes.TryRemove(form["code"].ToString(), out var grant) || grant.Expires < time.GetUtcNow())
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "The code is unknown, used or expired.");
        }

        if (form["redirect_uri"] != redirectUri.AbsoluteUri || !PkceMatches(grant.CodeChallenge, form["code_verifier"]))
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "redirect_uri or code_verifier does not match.");
        }

        if (IsCutOff(grant.User.Address))
        {
            // As Entra ID answers for a disabled account (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
            return Results.Json(new JsonObject
            {
                ["error"] = "invalid_grant",
                ["error_description"] = $"AADSTS50057: The user account is disabled. Trace ID: {Guid.NewGuid()} Timestamp: {time.GetUtcNow():u}",
                ["error_codes"] = new JsonArray(50057),
            }, statusCode: StatusCodes.Status400BadRequest);
        }

        var accessToken = NewId() + NewId();
        var now = time.GetUtcNow();
        _tokens[accessToken] = (grant.User, now + TokenLifetime);
        var claims = Claims(grant.User);
        claims["at_hash"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]);
        if (grant.Nonce is { Length: > 0 } nonce)
        {
            claims["nonce"] = nonce;
        }

        var idToken = _jwt.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer.AbsoluteUri,
            Audience = clientId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + TokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Json(new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
            ["id_token"] = idToken,
            ["scope"] = "openid email profile",
        });
    }

    private IResult UserInfo(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !_tokens.TryGetValue(header["Bearer ".Length..].Trim(), out var token) || token.Expires < time.GetUtcNow())
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var body = new JsonObject();
        foreach (var (key, value) in Claims(token.User))
        {
            body[key] = JsonValue.Create(value);
        }

        return Results.Json(body);
    }

    private Dictionary<string, object> Claims(DemoUser user) => new()
    {
        ["sub"] = SubjectOf(user),
        ["email"] = user.Address,
        ["email_verified"] = true,
        ["name"] = user.Name,
        ["preferred_username"] = user.Address,
    };

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? (null, null) : (Uri.UnescapeDataString(pair[..colon].Replace('+', ' ')), Uri.UnescapeDataString(pair[(colon + 1)..].Replace('+', ' ')));
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }

        return (form["client_id"], form["client_secret"]);
    }

    private static bool PkceMatches(string? challenge, string? verifier)
    {
        if (string.IsNullOrEmpty(challenge))
        {
            return true;
        }

        return verifier is { Length: > 0 } && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) == challenge;
    }

    private string ErrorRedirect(string error, string description, string? state) =>
        $"{redirectUri.AbsoluteUri}?error={error}&error_description={Uri.EscapeDataString(description)}&iss={Uri.EscapeDataString(issuer.AbsoluteUri)}"
        + (state is null ? "" : "&state=" + Uri.EscapeDataString(state));

    private IResult Problem(string text) =>
        DemoPage.Html("Sign-in request refused", $"the {name} provider's identity service", colour, $"<p>{DemoPage.Encode(text)}</p>", StatusCodes.Status400BadRequest);

    private static IResult TokenError(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);

    private static string NewId() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(18));

    private sealed record AuthorizeRequest(string? State, string? Nonce, string? CodeChallenge, DateTimeOffset Expires);

    private sealed record Grant(DemoUser User, string? Nonce, string? CodeChallenge, DateTimeOffset Expires);
}
