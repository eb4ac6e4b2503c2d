namespace Continuity.Gateway.Console;

/// <summary>
/// The console's one stylesheet, embedded in the gateway (no web root to deploy, no CDN): served at
/// <see cref="StylePath"/> with a content hash in its query so a new build is fetched at once.
/// </summary>
internal static class ConsoleAssets
{
    public const string StylePath = "/admin/assets/console.css";

    private static readonly byte[] StyleBytes = Load("console.css");

    /// <summary>The stylesheet's URL with its version (the first 12 hex digits of its SHA-256).</summary>
    public static readonly string StyleUrl =
        StylePath + "?v=" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(StyleBytes))[..12];

    public static IResult Style(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.Bytes(StyleBytes, "text/css; charset=utf-8");
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream("Continuity.Gateway.Console." + name)
            ?? throw new InvalidOperationException($"The console's embedded '{name}' is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
