using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>A piece of markup that is already safe to write: built by <see cref="Html.Of"/>, never from raw user input.</summary>
public sealed class HtmlContent
{
    private HtmlContent(string value) => Value = value;

    /// <summary>An empty fragment.</summary>
    public static HtmlContent Empty { get; } = new(string.Empty);

    /// <summary>The markup.</summary>
    public string Value { get; }

    /// <summary>Markup the code itself produced (a library-rendered SVG, a constant). Never call with user input.</summary>
    public static HtmlContent Trusted(string markup) => new(markup);

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>
/// Builds HTML from interpolated strings: the literal parts are markup, every interpolated value is HTML-encoded
/// (quotes included, so it is safe in quoted attributes too) unless it is already an <see cref="HtmlContent"/>.
/// </summary>
public static class Html
{
    /// <summary>Markup from an interpolated string whose holes are encoded.</summary>
    public static HtmlContent Of(ref HtmlInterpolatedStringHandler markup) => markup.ToContent();

    /// <summary>Fragments one after the other.</summary>
    public static HtmlContent Join(IEnumerable<HtmlContent> parts) => HtmlContent.Trusted(string.Concat(parts.Select(p => p.Value)));

    /// <summary>The fragment when <paramref name="condition"/> holds, nothing otherwise.</summary>
    public static HtmlContent If(bool condition, HtmlContent content) => condition ? content : HtmlContent.Empty;
}

/// <summary>The interpolation handler behind <see cref="Html.Of"/>.</summary>
[InterpolatedStringHandler]
public ref struct HtmlInterpolatedStringHandler
{
    private readonly StringBuilder _builder;

    /// <summary>Called by the compiler.</summary>
    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount) =>
        _builder = new StringBuilder(literalLength + (formattedCount * 16));

    /// <summary>A literal part of the template: markup written by the programmer.</summary>
    public readonly void AppendLiteral(string value) => _builder.Append(value);

    /// <summary>Already-safe markup, written as is.</summary>
    public readonly void AppendFormatted(HtmlContent? content) => _builder.Append(content?.Value);

    /// <summary>Any other value: formatted with the invariant culture and HTML-encoded.</summary>
    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, format: null);

    /// <summary>Any other value with a format string: formatted with the invariant culture and HTML-encoded.</summary>
    public readonly void AppendFormatted<T>(T value, string? format)
    {
        var text = value is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : value?.ToString();
        _builder.Append(HtmlEncoder.Default.Encode(text ?? string.Empty));
    }

    internal readonly HtmlContent ToContent() => HtmlContent.Trusted(_builder.ToString());
}

/// <summary>Writes a page with the status code and the headers every page gets.</summary>
public sealed class HtmlPageResult(HtmlContent page, int statusCode = StatusCodes.Status200OK) : IResult
{
    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        // Pages can show recovery codes, setup keys and personal data: no cache keeps a copy.
        httpContext.Response.Headers.CacheControl = "no-store";
        return httpContext.Response.WriteAsync(page.Value, httpContext.RequestAborted);
    }
}

/// <summary>
/// The ASP.NET Core results this app uses, under a name that does not collide with the library's
/// <c>AccountSecurity.Results</c> namespace.
/// </summary>
public static class Respond
{
    /// <summary>A 302 to a local path.</summary>
    public static IResult Redirect(string localUrl) => Microsoft.AspNetCore.Http.Results.LocalRedirect(localUrl);

    /// <summary>
    /// A 303 See Other to a local path: the answer to every POST (post/redirect/get), so the address bar always holds
    /// a page and a reload never sends the form again.
    /// </summary>
    public static IResult SeeOther(string localUrl)
    {
        // Only paths of this site: never "//host" or "/\\host", which browsers read as another site.
        if (!localUrl.StartsWith('/') || localUrl.StartsWith("//", StringComparison.Ordinal) || localUrl.StartsWith("/\\", StringComparison.Ordinal))
        {
            throw new ArgumentException("Only a local path may be redirected to.", nameof(localUrl));
        }

        return new SeeOtherResult(localUrl);
    }

    /// <summary>Bytes with a content type.</summary>
    public static IResult Bytes(byte[] content, string contentType) => Microsoft.AspNetCore.Http.Results.Bytes(content, contentType);
}

/// <summary>The 303 of <see cref="Respond.SeeOther"/>.</summary>
internal sealed class SeeOtherResult(string localUrl) : IResult
{
    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = localUrl;
        return Task.CompletedTask;
    }
}
