using System.Net;
using System.Text;

namespace Continuity.Demo;

/// <summary>
/// The one page layout of every stand-in: a banner that says "DEMO stand-in" and what the page pretends to be, inline
/// CSS only (no CDN, no script), and HTML-encoded text everywhere.
/// </summary>
internal static class DemoPage
{
    public static IResult Html(string title, string role, string colour, string body, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(title)).Append(" — DEMO stand-in</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}")
            .Append(".demo{background:#7a1f00;color:#fff;padding:.5rem 1rem;font-weight:600}")
            .Append("header{background:").Append(colour).Append(";color:#fff;padding:1rem}header h1{margin:0;font-size:1.5rem}")
            .Append("main{padding:1rem;max-width:52rem}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3rem .6rem;text-align:left}")
            .Append("button{font-size:1rem;padding:.3rem .8rem;margin:.1rem}.cut{color:#a00000;font-weight:600}.big{font-size:1.4rem}")
            .Append("code{background:#eee;padding:0 .2rem}")
            .Append("</style></head><body><div class=\"demo\" role=\"note\">DEMO stand-in — ")
            .Append(Encode(role)).Append(". Not part of Continuity; never use it in production.</div><header><h1>")
            .Append(Encode(title)).Append("</h1></header><main>").Append(body).Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
