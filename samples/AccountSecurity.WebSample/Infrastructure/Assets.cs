namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>Serves the stylesheet and the icon from the assembly.</summary>
public static class Assets
{
    private static readonly Lazy<byte[]> Css = new(() => Read("console.css"));

    private static readonly Lazy<byte[]> Icon = new(() => Read("favicon.ico"));

    /// <summary>The console stylesheet.</summary>
    public static IResult ConsoleCss() => Respond.Bytes(Css.Value, "text/css; charset=utf-8");

    /// <summary>The site icon (browsers ask for /favicon.ico on every site; a 404 there is noise in every log).</summary>
    public static IResult Favicon(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return Respond.Bytes(Icon.Value, "image/x-icon");
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The {name} resource is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
