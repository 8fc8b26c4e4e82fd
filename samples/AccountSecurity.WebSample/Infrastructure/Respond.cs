using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace AccountSecurity.WebSample.Infrastructure;

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

    /// <summary>
    /// A page of its own for an answer outside the pages (403, 404, 429, an expired form, a failure): the Razor view
    /// <c>Pages/Shared/Message.cshtml</c> in the console frame or the bare one, with <paramref name="statusCode"/>.
    /// </summary>
    public static IResult Message(MessagePage page, int statusCode) => new ViewPageResult("/Pages/Shared/Message.cshtml", page, statusCode);
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

/// <summary>Renders a Razor view (with its layout) from middleware or an endpoint, with a status code.</summary>
internal sealed class ViewPageResult(string viewPath, object model, int statusCode) : IResult
{
    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        // Pages can show personal data: no cache keeps a copy.
        httpContext.Response.Headers.CacheControl = "no-store";
        var metadata = httpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
        var result = new ViewResult
        {
            ViewName = viewPath,
            StatusCode = statusCode,
            ContentType = "text/html; charset=utf-8",
            ViewData = new ViewDataDictionary(metadata, new ModelStateDictionary()) { Model = model },
        };
        return result.ExecuteResultAsync(new ActionContext(httpContext, httpContext.GetRouteData(), new ActionDescriptor()));
    }
}

/// <summary>An <see cref="IResult"/> (a redirect with a flash, a 429 page) as the answer of a Razor Page handler.</summary>
public sealed class HttpResultAction(IResult result) : IActionResult
{
    /// <inheritdoc />
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}

/// <summary>What <c>Pages/Shared/Message.cshtml</c> shows: one message, what to do next, in the console frame or the bare one.</summary>
/// <param name="Title">The page's heading.</param>
/// <param name="Text">The message (encoded like any text).</param>
public sealed record MessagePage(string Title, string Text)
{
    /// <summary>The message's test id, if any.</summary>
    public string? TestId { get; init; }

    /// <summary>A neutral paragraph below the message.</summary>
    public string? Note { get; init; }

    /// <summary>The way on (a local path), if any.</summary>
    public string? LinkHref { get; init; }

    /// <summary>The way on's text.</summary>
    public string? LinkText { get; init; }

    /// <summary>Whether the way on looks like a button.</summary>
    public bool LinkIsButton { get; init; } = true;

    /// <summary>Whether the page has the console frame of the signed-in user (loaded by <see cref="CurrentUser.LoadAsync"/>).</summary>
    public bool InConsole { get; init; }

    /// <summary>The navigation entry to mark (console frame only).</summary>
    public string Active { get; init; } = string.Empty;
}
