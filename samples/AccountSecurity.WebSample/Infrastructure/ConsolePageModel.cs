using AccountSecurity.Accounts;
using AccountSecurity.SignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// The base of every console page: no cache keeps a copy (pages show recovery codes, setup keys and personal data),
/// the console's texts, the flash of the previous POST and the signed-in user.
/// </summary>
public abstract class ConsolePageModel : PageModel
{
    /// <summary>The console's texts in the request's language.</summary>
    protected IStringLocalizer<SharedTexts> Texts => HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedTexts>>();

    /// <summary>The flash of the previous POST (read once by <see cref="TakeFlash"/>).</summary>
    public FlashData Data { get; private set; } = new();

    /// <summary>The signed-in user (after <see cref="LoadUserAsync"/>).</summary>
    public UserSummary Me { get; private set; } = null!;

    /// <summary>The signed-in session (after <see cref="LoadUserAsync"/>).</summary>
    public AuthenticatedSession Session { get; private set; } = null!;

    /// <inheritdoc />
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        Response.Headers.CacheControl = "no-store";
        base.OnPageHandlerExecuting(context);
    }

    /// <summary>Reads the flash of the previous POST once.</summary>
    protected FlashData TakeFlash() => Data = HttpContext.RequestServices.GetRequiredService<Flash>().Take(HttpContext);

    /// <summary>Loads the signed-in user; <see langword="false"/> when the session no longer stands.</summary>
    protected async Task<bool> LoadUserAsync()
    {
        if (await CurrentUser.LoadAsync(HttpContext) is not (var session, var user))
        {
            return false;
        }

        (Session, Me) = (session, user);
        return true;
    }

    /// <summary>An <see cref="IResult"/> (a redirect with a flash, a page of its own) as this handler's answer.</summary>
    protected static IActionResult Answer(IResult result) => new HttpResultAction(result);

    /// <summary>The session-ended page (the session no longer stands).</summary>
    protected static IActionResult SessionEndedPage() => Answer(Respond.Redirect(SessionEnded.PagePath));
}
