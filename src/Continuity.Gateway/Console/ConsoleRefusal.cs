using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc;

namespace Continuity.Gateway.Console;

/// <summary>A small page (same stylesheet, landmarks, heading) for what the console refuses: 400, 403, 503.</summary>
internal static class ConsoleRefusal
{
    public static ContentResult Page(int status, string title, string detail)
    {
        var html = HtmlEncoder.Default;
        return new ContentResult
        {
            StatusCode = status,
            ContentType = "text/html; charset=utf-8",
            Content = $"""
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{html.Encode(title)} · Continuity admin</title>
                <link rel="stylesheet" href="{ConsoleAssets.StyleUrl}"></head>
                <body>
                <header class="top"><p class="brand">Continuity admin</p></header>
                <main id="main" class="refusal">
                <h1>{html.Encode(title)}</h1>
                <p class="status-line">HTTP {status}</p>
                <p>{html.Encode(detail)}</p>
                <p><a href="/admin">Back to the console</a> · <a href="/login?returnUrl=%2Fadmin">Sign in with another address</a></p>
                </main>
                </body>
                </html>
                """,
        };
    }
}
