using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Continuity.Demo.Apps;

/// <summary>
/// DEMO stand-in for a provider's web app (its webmail, say): one page that shows which provider served the request and
/// who the gateway says the user is. The gateway proxies the tenant's app host here and adds its signed assertion
/// (<c>X-Continuity-Assertion</c>, a JWT with <c>typ</c> <c>continuity-assertion+jwt</c> and <c>aud</c>
/// <c>urn:continuity:app:webmail</c>); this page checks it as a real backend must: signature against the gateway's JWKS,
/// issuer, audience, type, expiry.
/// </summary>
internal sealed class DemoWebApp(string provider, string displayName, string colour, Uri gatewayIssuer, HttpClient http)
{
    public const string AssertionHeader = "X-Continuity-Assertion";
    public const string App = "webmail";

    private readonly JsonWebTokenHandler _jwt = new();
    private IList<SecurityKey>? _keys;

    public void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Text("ok\n"));
        app.MapGet("/{**path}", (Delegate)Page);
    }

    private async Task<IResult> Page(HttpContext context)
    {
        var assertion = context.Request.Headers[AssertionHeader].ToString();
        string who;
        if (assertion.Length == 0)
        {
            who = "<p>No assertion from the gateway on this request: you reached this stand-in directly, not through the gateway's app host.</p>";
        }
        else
        {
            var result = await ValidateAsync(assertion, context.RequestAborted);
            who = result.IsValid
                ? $"""
                    <p class="big">You are <strong id="email">{DemoPage.Encode(Claim(result, "email"))}</strong></p>
                    <table><tbody>
                    <tr><th scope="row">sub (the gateway's account id: the same on both providers)</th><td><code id="sub">{DemoPage.Encode(Claim(result, "sub"))}</code></td></tr>
                    <tr><th scope="row">tenant</th><td>{DemoPage.Encode(Claim(result, "tenant"))}</td></tr>
                    <tr><th scope="row">issuer</th><td><code>{DemoPage.Encode(gatewayIssuer.AbsoluteUri)}</code></td></tr>
                    </tbody></table>
                    <p>Signed assertion checked: signature (gateway JWKS), issuer, audience <code>urn:continuity:app:{App}</code>, type, expiry.</p>
                    """
                : $"<p class=\"cut\">The gateway's assertion did not validate: {DemoPage.Encode(result.Exception?.Message)}</p>";
        }

        var body = $"""
            <p class="big">Served by the <strong id="provider">{DemoPage.Encode(provider)}</strong> provider ({DemoPage.Encode(displayName)}).</p>
            {who}
            <p>Path: <code>{DemoPage.Encode(context.Request.Path + context.Request.QueryString)}</code>, host <code>{DemoPage.Encode(context.Request.Host.Value)}</code>.</p>
            <form method="post" action="/.continuity/signout"><button type="submit">Sign out (the gateway's sign-out)</button></form>
            """;
        return DemoPage.Html($"Webmail at {displayName}", $"the {provider} provider's web app", colour, body);
    }

    private static string? Claim(TokenValidationResult result, string name) =>
        result.Claims.TryGetValue(name, out var value) ? value?.ToString() : null;

    private async Task<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = gatewayIssuer.AbsoluteUri,
            ValidAudience = "urn:continuity:app:" + App,
            ValidTypes = ["continuity-assertion+jwt"],
            IssuerSigningKeys = _keys ??= await LoadKeysAsync(cancellationToken),
        };
        var result = await _jwt.ValidateTokenAsync(token, parameters);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The gateway rotated its keys (or restarted with new development keys): read them again, once.
            parameters.IssuerSigningKeys = _keys = await LoadKeysAsync(cancellationToken);
            result = await _jwt.ValidateTokenAsync(token, parameters);
        }

        return result;
    }

    private async Task<IList<SecurityKey>> LoadKeysAsync(CancellationToken cancellationToken)
    {
        using var discovery = JsonDocument.Parse(await http.GetStringAsync(new Uri(gatewayIssuer, ".well-known/openid-configuration"), cancellationToken));
        var jwksUri = discovery.RootElement.GetProperty("jwks_uri").GetString()!;
        return new JsonWebKeySet(await http.GetStringAsync(new Uri(jwksUri), cancellationToken)).GetSigningKeys();
    }
}
