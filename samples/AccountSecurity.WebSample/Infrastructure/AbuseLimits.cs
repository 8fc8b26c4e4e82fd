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
    public static IResult? Refusal(HttpContext context, AbuseOperation operation, string? account, string formPage)
    {
        var decision = context.RequestServices.GetRequiredService<AccountSecurityRateLimiter>().TryAcquire(operation, context, account);
        return decision.IsAllowed ? null : new TooManyAttemptsResult(decision.RetryAfter, formPage);
    }

    /// <summary>429 with <c>Retry-After</c> and a page that says how long to wait (the same for every account and reason).</summary>
    private sealed class TooManyAttemptsResult(TimeSpan? retryAfter, string formPage) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter?.TotalSeconds ?? 60));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var wait = seconds < 90 ? $"{seconds} seconds" : $"{(int)Math.Ceiling(seconds / 60.0)} minutes";
            var page = Layout.Bare("Too many attempts", Html.Of($"""
                <div class="alert alert-error" role="alert" data-testid="too-many-attempts">Too many attempts from here in a short time, so this one was not checked. Wait {wait}, then try again.</div>
                <p class="muted">This protects accounts against people guessing passwords, codes and PINs. Nothing was changed.</p>
                <p><a class="button primary" href="{formPage}">Back to the form</a></p>
                """));
            return new HtmlPageResult(page, StatusCodes.Status429TooManyRequests).ExecuteAsync(httpContext);
        }
    }
}
