using System.Globalization;
using AccountSecurity.AspNetCore.Authentication;
using AccountSecurity.Passkeys;
using AccountSecurity.Reauthentication;
using AccountSecurity.Results;
using AccountSecurity.WebSample.Pages;

namespace AccountSecurity.WebSample.Infrastructure;

/// <summary>
/// The step-up ("Confirm it's you", GitHub's sudo mode) of the console pages, over the library's
/// <see cref="IReauthenticationService"/>: whether this request's session may make sensitive changes without proof,
/// the card that asks for exactly the account's ways to confirm (a passkey, the password and the app's code, or the
/// password), the lock on the forms until then, and the safe way back to the page the user was on.
/// </summary>
/// <remarks>
/// The library decides: a sensitive change posted without a password is accepted only while the session is fresh, and
/// refused with <c>reauthentication_required</c> otherwise. The pages only ask first, so nobody types a change into a
/// form that would be refused.
/// </remarks>
public static class StepUp
{
    /// <summary>The dialog page of its own (after a change was refused because the window had closed).</summary>
    public const string DialogPath = "/security/confirm";

    /// <summary>The flash key of the dialog's errors.</summary>
    public const string FlashKey = "step-up";

    private const string ItemKey = "step-up-status";
    private const int MaxReturnUrlLength = 512;

    /// <summary>Where this request's session stands (read once per request); <see langword="null"/> when it has ended.</summary>
    public static async Task<ReauthenticationStatus?> StatusAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var cached))
        {
            return cached as ReauthenticationStatus;
        }

        ReauthenticationStatus? status = null;
        if (context.User.GetAccountSecuritySession() is { } session)
        {
            var read = await context.RequestServices.GetRequiredService<IReauthenticationService>().GetStatusAsync(session, context.RequestAborted);
            status = read.Succeeded ? read.Value : null;
        }

        context.Items[ItemKey] = status;
        return status;
    }

    /// <summary>Whether sensitive changes go through now without confirming.</summary>
    public static async Task<bool> IsFreshAsync(HttpContext context) => (await StatusAsync(context))?.IsFresh == true;

    /// <summary>
    /// <paramref name="candidate"/> when it is a path of this site (<c>/security</c>, <c>/users/x/confirm/y</c>),
    /// otherwise <paramref name="fallback"/>: never another site (<c>//evil</c>, <c>/\evil</c>, <c>https://…</c>), so the
    /// way back after confirming cannot be an open redirect.
    /// </summary>
    public static string LocalPath(string? candidate, string fallback = "/security")
    {
        if (string.IsNullOrEmpty(candidate) || candidate.Length > MaxReturnUrlLength || candidate[0] != '/')
        {
            return fallback;
        }

        if (candidate.Length > 1 && candidate[1] is '/' or '\\')
        {
            return fallback;
        }

        foreach (var c in candidate)
        {
            if (c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return fallback;
            }
        }

        return candidate;
    }

    /// <summary>The path and query of this request (what the card sends the user back to).</summary>
    public static string CurrentPath(HttpContext context) => LocalPath(context.Request.Path + context.Request.QueryString);

    /// <summary>The dialog page for <paramref name="returnUrl"/>.</summary>
    public static string DialogFor(string returnUrl) => $"{DialogPath}?returnUrl={Uri.EscapeDataString(LocalPath(returnUrl))}";

    /// <summary>
    /// When <paramref name="result"/> says the window had closed, the dialog with a message that says so (and the way
    /// back to <paramref name="returnUrl"/> once confirmed); otherwise <see langword="null"/>.
    /// </summary>
    public static IResult? Expired(HttpContext context, Flash flash, SecurityResult result, string returnUrl) =>
        result.HasError(SecurityErrorCodes.ReauthenticationRequired)
            ? flash.Errors(context, DialogFor(returnUrl), FlashKey, [ConsoleText.Of("Nothing was changed: your last confirmation is more than {0} minutes old. Confirm it's you, then make the change again.", Minutes(context))])
            : null;

    /// <summary>
    /// The step-up card of a page: when the session is not fresh, "Confirm it's you" with the account's ways to confirm
    /// (the errors of the last attempt in it); when it is, the note until when changes are allowed without confirming.
    /// <see langword="null"/> when the session has ended. Rendered by <c>Pages/Shared/_StepUpCard.cshtml</c>.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="returnUrl">Where to go after confirming (a local path).</param>
    /// <param name="errors">The messages of the last attempt.</param>
    /// <param name="what">What the confirmation unlocks, for the card's text ("change your password, second factors and support PIN").</param>
    /// <param name="showHeading">Whether the card shows its heading (the dialog page has it as the page's title already).</param>
    public static async Task<StepUpCard?> CardAsync(HttpContext context, string returnUrl, IReadOnlyList<string> errors, string what, bool showHeading = true)
    {
        var status = await StatusAsync(context);
        if (status is null)
        {
            return null;
        }

        var page = CurrentPath(context);
        var returnTo = LocalPath(returnUrl);
        var card = new StepUpCard(status.IsFresh, Time(status.FreshUntil), what, Minutes(context), errors, showHeading, returnTo, page)
        {
            FocusFirst = errors.Count > 0 || !showHeading, // after a failure, and on the dialog page of its own
        };
        if (status.IsFresh)
        {
            return card;
        }

        foreach (var method in status.Methods)
        {
            switch (method)
            {
                case ReauthenticationMethods.Passkey:
                    var session = context.User.GetRequiredAccountSecuritySession();
                    var started = await context.RequestServices.GetRequiredService<IPasskeyService>().BeginReauthenticationAsync(session, context.RequestAborted);
                    if (started.Succeeded)
                    {
                        card.Ways.Add(new StepUpWay(
                            new PasskeyForm(PasskeyView.Ceremony.Get, started.Value!, DialogPath + "/passkey", "Confirm with a passkey", "step-up-passkey", [new("returnUrl", returnTo), new("page", page)], Primary: card.Ways.Count == 0),
                            WithCode: false));
                    }

                    break;
                case ReauthenticationMethods.PasswordAndCode:
                case ReauthenticationMethods.Password:
                    card.Ways.Add(new StepUpWay(Passkey: null, WithCode: method == ReauthenticationMethods.PasswordAndCode));
                    break;
            }
        }

        return card;
    }

    /// <summary>
    /// The attributes of the <c>fieldset</c> that holds a page's sensitive forms: disabled (every control in it) until
    /// the session is fresh, and described by the card that says why. Constant markup, no input in it.
    /// </summary>
    /// <param name="fresh">Whether the session may change things now.</param>
    /// <returns>The attributes.</returns>
    public static Microsoft.AspNetCore.Html.IHtmlContent Lock(bool fresh) => new Microsoft.AspNetCore.Html.HtmlString(fresh
        ? string.Empty
        : "disabled aria-describedby=\"step-up-title\" data-testid=\"step-up-locked\"");

    /// <summary>The library's window in whole minutes (10 by default).</summary>
    /// <param name="context">The request.</param>
    /// <returns>The minutes.</returns>
    public static int Minutes(HttpContext context) =>
        (int)context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<DependencyInjection.AccountSecurityOptions>>().Value.Reauthentication.Window.TotalMinutes;

    /// <summary>A time as the console shows it (UTC, to the minute).</summary>
    public static string Time(DateTimeOffset? at) =>
        at?.ToUniversalTime().ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "now";
}

/// <summary>What <c>_StepUpCard.cshtml</c> shows (see <see cref="StepUp.CardAsync"/>).</summary>
/// <param name="Fresh">Whether the session may change things without confirming now.</param>
/// <param name="FreshUntil">Until when (as the console shows a time).</param>
/// <param name="What">What the confirmation unlocks (already in the user's language).</param>
/// <param name="Minutes">The library's window in minutes.</param>
/// <param name="Errors">The messages of the last attempt.</param>
/// <param name="ShowHeading">Whether the card shows its heading.</param>
/// <param name="ReturnTo">Where to go after confirming.</param>
/// <param name="Page">The page the card is on (where a failure comes back to).</param>
public sealed record StepUpCard(bool Fresh, string FreshUntil, string What, int Minutes, IReadOnlyList<string> Errors, bool ShowHeading, string ReturnTo, string Page)
{
    /// <summary>Whether the first input gets the focus.</summary>
    public bool FocusFirst { get; init; }

    /// <summary>The account's ways to confirm, in the library's order.</summary>
    public List<StepUpWay> Ways { get; } = [];
}

/// <summary>One way to confirm: a passkey ceremony, or the password (with the app's code when <paramref name="WithCode"/>).</summary>
/// <param name="Passkey">The ceremony form, for a passkey.</param>
/// <param name="WithCode">Whether the password form also asks for the authenticator code.</param>
public sealed record StepUpWay(PasskeyForm? Passkey, bool WithCode);
