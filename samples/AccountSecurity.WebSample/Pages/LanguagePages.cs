using AccountSecurity.Accounts.Administration;
using AccountSecurity.WebSample.Infrastructure;
using Microsoft.AspNetCore.Localization;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// The console's language switch: the choice is kept in the request-localization cookie (which wins over the
/// browser's <c>Accept-Language</c>); for a signed-in user it also becomes the language the library writes their
/// security e-mails in.
/// </summary>
public static class LanguagePages
{
    /// <summary>Where the switch posts.</summary>
    public const string Path = "/language";

    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app)
    {
        app.MapPost(Path, async Task<IResult> (HttpContext context, IAccountAdministrationService accounts) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var culture = form["culture"].ToString();
            if (!ConsoleLanguages.Supported.Contains(culture, StringComparer.Ordinal))
            {
                culture = ConsoleLanguages.Default;
            }

            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = "/", MaxAge = TimeSpan.FromDays(365), IsEssential = true });

            // A preference, not a credential: no step-up, no new stamp (the library's rule for the user's culture).
            if (CurrentUser.Session(context) is { } session)
            {
                await accounts.ChangeCultureAsync(session.UserId, culture, context.RequestAborted);
            }

            return Respond.SeeOther(StepUp.LocalPath(form["returnUrl"]));
        }).AllowDuringTwoFactorSetup();
    }
}
