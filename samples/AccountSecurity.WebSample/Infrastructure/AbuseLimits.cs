using System.Globalization;
using AccountSecurity.AspNetCore.RateLimiting;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// The package's abuse limits (<see cref="AccountSecurityRateLimiter"/>, per client address and per account) on the
/// sample's forms that check a secret or send a mail: sign-in and its second steps, forced setup, password reset and
/// support PIN verification. The limits themselves are the package's options, configurable under
/// <see cref="WebSampleApp.RateLimitsKey"/>.
/// </summary>
public static class AbuseLimits
{
    /// <summary>
    /// Counts an attempt of <paramref name="operation"/> against this request's client address and, when given,
    /// <paramref name="account"/> (the typed e-mail, whether or not it has an account). <see langword="null"/> when the
    /// attempt may go ahead; otherwise the page to answer with (its link goes back to <paramref name="formPage"/>), and
    /// the form must do nothing else.
    /// </summary>
    /// <remarks>
    /// Asynchronous: with limits shared on Redis the count is a round trip, and waiting for it must not hold a thread
    /// of the pool (the synchronous <c>TryAcquire</c> would block one per form post).
    /// </remarks>
    public static async Task<IResult?> RefusalAsync(HttpContext context, AbuseOperation operation, string? account, string formPage)
    {
        var decision = await context.RequestServices.GetRequiredService<AccountSecurityRateLimiter>().TryAcquireAsync(operation, context, account, context.RequestAborted);
        return decision.IsAllowed ? null : new TooManyAttemptsResult(decision.RetryAfter, formPage);
    }

    /// <summary>429 with <c>Retry-After</c> and a page that says how long to wait (the same for every account and reason).</summary>
    private sealed class TooManyAttemptsResult(TimeSpan? retryAfter, string formPage) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter?.TotalSeconds ?? 60));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var texts = httpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedTexts>>();
            var wait = seconds < 90 ? texts["{0} seconds", seconds] : texts["{0} minutes", (int)Math.Ceiling(seconds / 60.0)];
            var page = new MessagePage(texts["Too many attempts"], texts["Too many attempts from here in a short time, so this one was not checked. Wait {0}, then try again.", wait])
            {
                TestId = "too-many-attempts",
                Note = texts["This protects accounts against people guessing passwords, codes and PINs. Nothing was changed."],
                LinkHref = formPage,
                LinkText = texts["Back to the form"],
            };
            return Respond.Message(page, StatusCodes.Status429TooManyRequests).ExecuteAsync(httpContext);
        }
    }
}
