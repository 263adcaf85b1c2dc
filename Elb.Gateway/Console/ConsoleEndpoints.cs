using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Elb.Gateway.Console;

/// <summary>
/// The web console at <c>/console/</c>: static pages that call the public API from the browser with the signed-in
/// user's token (<c>X-Auth-Token</c>), so they can show nothing and do nothing the API would not let that user.
/// </summary>
public static class ConsoleEndpoints
{
    public const string Path = "/console";

    /// <summary>
    /// Only the console's own files may run, style or connect, and no other site may frame it. Tenant-supplied names
    /// are rendered as text; should one ever reach markup, no inline script or handler of it would run.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The files hold no data (every answer comes from the API, under the caller's token), so they are open to anyone,
    /// as <c>/docs</c> is; they are not part of the API, so the OpenAPI document leaves them out.
    /// </summary>
    public static void MapElbConsole(this IEndpointRouteBuilder endpoints)
    {
        var files = ConsoleFile.LoadAll();
        // Routing matches /console/ here too. The page's scripts and styles are relative to it, so /console sends the
        // browser to /console/.
        endpoints.MapGet(Path, (HttpContext http) => http.Request.Path.Value!.EndsWith('/')
                ? files["index.html"].Serve(http)
                : Results.Redirect("console/"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        endpoints.MapGet(Path + "/{**file}", (string file, HttpContext http) =>
                files.TryGetValue(file, out var found) ? found.Serve(http) : Results.NotFound())
            .AllowAnonymous()
            .ExcludeFromDescription();
    }
}

/// <summary>One of the console's files, embedded in the gateway's assembly (nothing to deploy beside it).</summary>
public sealed record ConsoleFile(byte[] Content, string ContentType, string ETag)
{
    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    public static FrozenDictionary<string, ConsoleFile> LoadAll()
    {
        var assembly = typeof(ConsoleFile).Assembly;
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[ResourcePrefix.Length..], n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var content = copy.ToArray();
                return new ConsoleFile(content, ContentTypes[System.IO.Path.GetExtension(n)],
                    $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
            }, StringComparer.Ordinal);
    }

    public IResult Serve(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ConsoleEndpoints.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidated on every load, so a new gateway's console is never mixed with an old one's cached script.
        headers.CacheControl = "no-cache";
        headers.ETag = ETag;
        return http.Request.Headers.IfNoneMatch == ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(Content, ContentType);
    }
}
