using Microsoft.AspNetCore.Antiforgery;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>Small helpers for the POST forms: the antiforgery field and reading a posted field.</summary>
public static class Forms
{
    /// <summary>The name of the hidden antiforgery field of every form.</summary>
    public const string AntiforgeryField = "__csrf";

    /// <summary>The hidden antiforgery input for a form of this request's user.</summary>
    public static HtmlContent Antiforgery(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return Html.Of($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }

    /// <summary>A posted field, or <see langword="null"/> when absent.</summary>
    public static async Task<string?> FieldAsync(HttpContext context, string name)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return form.TryGetValue(name, out var value) ? value.ToString() : null;
    }
}

/// <summary>Validates the antiforgery token of every POST before any endpoint sees it: a missing check cannot slip in.</summary>
public sealed class RequireAntiforgeryOnPost(RequestDelegate next, IAntiforgery antiforgery)
{
    /// <summary>Runs the check.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsPost(context.Request.Method))
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                var page = Layout.Bare(
                    "Form expired",
                    Html.Of($"<div class=\"alert alert-error\" role=\"alert\">This form has expired or was not sent by this site. Go back, reload the page and try again.</div><p><a href=\"/security\">Back to the console</a></p>"));
                await new HtmlPageResult(page, StatusCodes.Status400BadRequest).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}

/// <summary>Headers that keep the pages out of frames, scripts out of the page and referrers out of other sites.</summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>The key under which the per-request script nonce is kept.</summary>
    public const string NonceKey = "csp-nonce";

    /// <summary>Adds the headers.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'nonce-{nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    }

    /// <summary>The nonce that lets this request's inline script run.</summary>
    public static string Nonce(HttpContext context) => context.Items[NonceKey] as string ?? string.Empty;
}
