namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// 404, 405 and 500 answers as pages of the console (with the signed-in user's frame when there is one), each saying
/// what to do next — never a blank browser error page, never a stack trace.
/// </summary>
public static class ErrorPages
{
    /// <summary>Adds the status-code pages and the exception handler; call first, so they wrap everything else.</summary>
    public static void Use(WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                // Bare on purpose: the failure may be the database the console frame would read.
                var page = Layout.Bare("Something went wrong", Html.Of($"""
                    <div class="alert alert-error" role="alert">The console could not finish this request. Nothing was shown to anyone else. Try again in a moment; if it keeps happening, tell your administrator the time it happened.</div>
                    <p><a class="button primary" href="/security">Back to the console</a></p>
                    """));
                return new HtmlPageResult(page, StatusCodes.Status500InternalServerError).ExecuteAsync(context);
            },
        });
        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var (title, message) = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => ("Page not found", "There is no page at this address. Check the address, or go back to the console and use the navigation."),
                StatusCodes.Status405MethodNotAllowed => ("This address is not a page", "This address only receives forms. Open the page the form is on and send it from there."),
                var code => ("Request not completed", $"The request could not be completed (HTTP {code}). Go back to the console and try again."),
            };
            var body = Html.Of($"""
                <div class="alert alert-error" role="alert" data-testid="error-message">{message}</div>
                <p><a class="button primary" href="/security">Back to the console</a></p>
                """);
            var signedIn = CurrentUser.Session(context) is not null ? await CurrentUser.LoadAsync(context) : null;
            var page = signedIn is (_, var user) ? Layout.Console(context, user, active: string.Empty, title, body) : Layout.Bare(title, body);
            await new HtmlPageResult(page, context.Response.StatusCode).ExecuteAsync(context);
        });
    }
}
