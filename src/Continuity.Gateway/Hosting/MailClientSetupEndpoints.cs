using Continuity.Mail.Autoconfig;
using Continuity.Mail.Proxy;

namespace Continuity.Gateway.Hosting;

/// <summary>
/// Mail client set-up documents naming the gateway's own IMAP/SMTP host names, so clients never learn a
/// provider's host: Thunderbird autoconfig (<c>/.well-known/autoconfig/mail/config-v1.1.xml</c>, and
/// <c>/mail/config-v1.1.xml</c> on <c>autoconfig.&lt;domain&gt;</c>) and Outlook Autodiscover (POX).
/// </summary>
internal static class MailClientSetupEndpoints
{
    private const int MaxAutodiscoverBody = 16 * 1024;

    public static IEndpointRouteBuilder MapContinuityMailClientSetup(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/autoconfig/mail/config-v1.1.xml", Thunderbird);
        app.MapGet("/mail/config-v1.1.xml", Thunderbird);
        app.MapPost("/autodiscover/autodiscover.xml", Autodiscover); // routes match case-insensitively: /Autodiscover/Autodiscover.xml too
        return app;
    }

    private static IResult Thunderbird(HttpContext http, IOptions<ContinuityOptions> continuity, IOptions<MailAccessOptions> access, string? emailaddress)
    {
        // The domain: from the address Thunderbird sends, else from the host (autoconfig.<domain>).
        var host = http.Request.Host.Host;
        var domain = emailaddress is { } address && address.LastIndexOf('@') is var at and > 0 ? address[(at + 1)..]
            : host.StartsWith("autoconfig.", StringComparison.OrdinalIgnoreCase) ? host["autoconfig.".Length..]
            : null;
        return domain is not null && ThunderbirdAutoconfig.Render(continuity.Value, access.Value, domain) is { } xml
            ? Results.Text(xml, "application/xml; charset=utf-8")
            : Results.NotFound();
    }

    private static async Task<IResult> Autodiscover(HttpContext http, IOptions<ContinuityOptions> continuity, IOptions<MailAccessOptions> access)
    {
        if (http.Request.ContentLength > MaxAutodiscoverBody)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var buffer = new char[MaxAutodiscoverBody + 1];
        using var reader = new StreamReader(http.Request.Body);
        var length = await reader.ReadBlockAsync(buffer, http.RequestAborted);
        if (length > MaxAutodiscoverBody)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var address = OutlookAutodiscover.ReadRequestAddress(new string(buffer, 0, length));
        return address is not null && OutlookAutodiscover.Render(continuity.Value, access.Value, address) is { } xml
            ? Results.Text(xml, "application/xml; charset=utf-8")
            : Results.NotFound();
    }
}
