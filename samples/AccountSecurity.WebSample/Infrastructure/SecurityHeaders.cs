using Microsoft.AspNetCore.Antiforgery;

namespace AccountSecurity.WebSample.Infrastructure;

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
                var texts = context.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedTexts>>();
                await Respond.Message(
                    new MessagePage(texts["Form expired"], texts["This form has expired or was not sent by this site. Go back, reload the page and try again."])
                    {
                        LinkHref = "/security",
                        LinkText = texts["Back to the console"],
                        LinkIsButton = false,
                    },
                    StatusCodes.Status400BadRequest).ExecuteAsync(context);
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
