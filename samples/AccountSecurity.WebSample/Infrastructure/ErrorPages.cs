namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// 404, 405 and 500 answers as pages of the console (with the signed-in user's frame when there is one), each saying
/// what to do next — never a blank browser error page, never a stack trace.
/// </summary>
public static class ErrorPages
{
    private static Microsoft.Extensions.Localization.IStringLocalizer<SharedTexts> Texts(HttpContext context) =>
        context.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedTexts>>();

    /// <summary>Adds the status-code pages and the exception handler; call first, so they wrap everything else.</summary>
    public static void Use(WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                // Bare on purpose: the failure may be the database the console frame would read.
                var texts = Texts(context);
                var page = new MessagePage(texts["Something went wrong"], texts["The console could not finish this request. Nothing was shown to anyone else. Try again in a moment; if it keeps happening, tell your administrator the time it happened."])
                {
                    LinkHref = "/security",
                    LinkText = texts["Back to the console"],
                };
                return Respond.Message(page, StatusCodes.Status500InternalServerError).ExecuteAsync(context);
            },
        });
        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var texts = Texts(context);
            var (title, message) = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => (texts["Page not found"], texts["There is no page at this address. Check the address, or go back to the console and use the navigation."]),
                StatusCodes.Status405MethodNotAllowed => (texts["This address is not a page"], texts["This address only receives forms. Open the page the form is on and send it from there."]),
                var code => (texts["Request not completed"], texts["The request could not be completed (HTTP {0}). Go back to the console and try again.", code]),
            };
            var signedIn = CurrentUser.Session(context) is not null ? await CurrentUser.LoadAsync(context) : null;
            var page = new MessagePage(title, message)
            {
                TestId = "error-message",
                LinkHref = "/security",
                LinkText = texts["Back to the console"],
                InConsole = signedIn is not null,
            };
            await Respond.Message(page, context.Response.StatusCode).ExecuteAsync(context);
        });
    }
}
