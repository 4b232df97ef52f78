using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Retention.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's page, script, style sheet and icon, embedded in this assembly: nothing from a CDN, nothing to build, works
/// offline. Every answer carries a Content-Security-Policy that allows this site's own files and nothing inline.
/// </summary>
internal static class DashboardAssets
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    private static readonly FrozenDictionary<string, (string ContentType, byte[] Content)> Files = new Dictionary<string, (string, byte[])>(StringComparer.Ordinal)
    {
        ["index.html"] = ("text/html; charset=utf-8", Read("index.html")),
        ["dashboard.js"] = ("text/javascript; charset=utf-8", Read("dashboard.js")),
        ["dashboard.css"] = ("text/css; charset=utf-8", Read("dashboard.css")),
        ["icon.svg"] = ("image/svg+xml", Read("icon.svg")),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The page. Its links are relative, so it is served at the pattern with a trailing slash: <c>/retention</c> redirects to <c>/retention/</c>.</summary>
    public static IResult Page(HttpContext context)
    {
        var path = context.Request.PathBase + context.Request.Path;
        return path.Value?.EndsWith('/') == true
            ? Serve(context, "index.html")
            : Results.Redirect(path + "/" + context.Request.QueryString);
    }

    /// <summary>One of the embedded files, by name; any other name is 404.</summary>
    public static IResult Serve(HttpContext context, string name)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Bytes(file.Content, file.ContentType);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Retention.AspNetCore.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard's {name} is not embedded in {typeof(DashboardAssets).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
