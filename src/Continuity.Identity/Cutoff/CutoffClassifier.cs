using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Continuity.Identity.Cutoff;

/// <summary>
/// Reads the codes out of an upstream error and classifies it. The first code with a class wins;
/// then the OAuth <c>error</c> value; then the HTTP status (5xx is transient); else not a cut-off.
/// </summary>
internal sealed partial class CutoffClassifier
{
    private const int MaxDescription = 300;

    /// <summary>Defaults (Entra ID AADSTS codes and OAuth error values); configuration adds to or overrides them.</summary>
    public static readonly FrozenDictionary<string, CutoffClass> DefaultCodes = new Dictionary<string, CutoffClass>(StringComparer.OrdinalIgnoreCase)
    {
        ["50057"] = CutoffClass.PerUser,    // user account is disabled
        ["50034"] = CutoffClass.PerUser,    // user account does not exist in the directory
        ["50105"] = CutoffClass.PerUser,    // user not assigned to a role for the application
        ["53011"] = CutoffClass.PerUser,    // user blocked due to risk on home tenant
        ["53003"] = CutoffClass.Policy,     // blocked by conditional access
        ["50053"] = CutoffClass.Policy,     // account locked / malicious IP
        ["530032"] = CutoffClass.Policy,    // blocked by security defaults / policy
        ["700016"] = CutoffClass.Tenant,    // application not found in the directory
        ["7000112"] = CutoffClass.Tenant,   // application is disabled
        ["90002"] = CutoffClass.Tenant,     // tenant not found / no active subscriptions
        ["7000215"] = CutoffClass.Tenant,   // invalid client secret (the gateway's credential was revoked)
        ["50126"] = CutoffClass.None,       // invalid username or password
        ["50076"] = CutoffClass.None,       // MFA required
        ["50079"] = CutoffClass.None,       // MFA registration required
        ["65001"] = CutoffClass.None,       // consent required
        ["temporarily_unavailable"] = CutoffClass.Transient,
        ["server_error"] = CutoffClass.Transient,
        ["access_denied"] = CutoffClass.None,
        ["login_required"] = CutoffClass.None,
        ["interaction_required"] = CutoffClass.None,
        ["consent_required"] = CutoffClass.None,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, CutoffClass> _codes;

    public CutoffClassifier(IOptions<IdentityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var merged = new Dictionary<string, CutoffClass>(DefaultCodes, StringComparer.OrdinalIgnoreCase);
        foreach (var (code, value) in options.Value.Cutoff.Codes)
        {
            merged[code] = value;
        }

        _codes = merged.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public CutoffClass Classify(UpstreamError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var code in error.Codes)
        {
            if (_codes.TryGetValue(code, out var known))
            {
                return known;
            }
        }

        if (_codes.TryGetValue(error.Error, out var byError))
        {
            return byError;
        }

        return error.HttpStatus is >= 500 ? CutoffClass.Transient : CutoffClass.None;
    }

    /// <summary>Reads an error response (front or back channel) into an <see cref="UpstreamError"/>; null when it is not an error.</summary>
    public static UpstreamError? Read(string where, OpenIddictMessage? message, int? httpStatus = null)
    {
        if (message is null || string.IsNullOrEmpty((string?)message[OpenIddictConstants.Parameters.Error]))
        {
            return null;
        }

        var error = (string)message[OpenIddictConstants.Parameters.Error]!;
        var description = (string?)message[OpenIddictConstants.Parameters.ErrorDescription];
        var codes = new List<string>();
        if (message["error_codes"] is { } raw)
        {
            var element = (JsonElement)raw;
            if (element.ValueKind == JsonValueKind.Array)
            {
                codes.AddRange(element.EnumerateArray().Select(e => e.ToString()));
            }
            else
            {
                codes.AddRange(element.ToString().Split([',', ' '], StringSplitOptions.RemoveEmptyEntries));
            }
        }

        if (description is not null)
        {
            codes.AddRange(AadstsPattern().Matches(description).Select(m => m.Groups[1].Value));
            if (description.Length > MaxDescription)
            {
                description = description[..MaxDescription];
            }
        }

        return new UpstreamError(where, error[..Math.Min(error.Length, 64)], description, codes.Distinct(StringComparer.Ordinal).Take(8).ToList(), httpStatus);
    }

    [GeneratedRegex(@"AADSTS(\d{3,9})", RegexOptions.CultureInvariant)]
    private static partial Regex AadstsPattern();
}
