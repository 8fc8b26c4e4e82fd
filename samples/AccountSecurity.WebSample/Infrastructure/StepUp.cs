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
            ? flash.Errors(context, DialogFor(returnUrl), FlashKey, [$"Nothing was changed: your last confirmation is more than {Minutes(context)} minutes old. Confirm it's you, then make the change again."])
            : null;

    /// <summary>
    /// The attributes of the <c>fieldset</c> that holds a page's sensitive forms: disabled (every control in it) until
    /// the session is fresh, and described by the card that says why.
    /// </summary>
    public static HtmlContent LockAttributes(bool fresh) => fresh
        ? HtmlContent.Trusted(" class=\"step-up-scope\"")
        : HtmlContent.Trusted(" class=\"step-up-scope\" disabled aria-describedby=\"step-up-title\" data-testid=\"step-up-locked\"");

    /// <summary>
    /// The step-up card of a page: when the session is not fresh, "Confirm it's you" with the account's ways to confirm
    /// (the errors of the last attempt in it); when it is, the note until when changes are allowed without confirming.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="returnUrl">Where to go after confirming (a local path).</param>
    /// <param name="errors">The messages of the last attempt.</param>
    /// <param name="what">What the confirmation unlocks, for the card's text ("change your password, second factors and support PIN").</param>
    /// <param name="showHeading">Whether the card shows its heading (the dialog page has it as the page's title already).</param>
    public static async Task<HtmlContent> CardAsync(HttpContext context, string returnUrl, IReadOnlyList<string> errors, string what, bool showHeading = true)
    {
        var status = await StatusAsync(context);
        if (status is null)
        {
            return HtmlContent.Empty;
        }

        if (status.IsFresh)
        {
            return Html.Of($"""
                <p class="step-up-note" data-testid="fresh-until"><span class="badge on">Confirmed</span> You can {what} without confirming again until {Time(status.FreshUntil)}.</p>
                """);
        }

        var page = CurrentPath(context);
        var returnTo = LocalPath(returnUrl);
        var hidden = Html.Of($"""
            <input type="hidden" name="returnUrl" value="{returnTo}">
            <input type="hidden" name="page" value="{page}">
            """);
        var ways = new List<HtmlContent>();
        var focusFirst = errors.Count > 0 || !showHeading; // after a failure, and on the dialog page of its own
        var usesScript = false;
        foreach (var method in status.Methods)
        {
            switch (method)
            {
                case ReauthenticationMethods.Passkey:
                    var session = context.User.GetRequiredAccountSecuritySession();
                    var started = await context.RequestServices.GetRequiredService<IPasskeyService>().BeginReauthenticationAsync(session, context.RequestAborted);
                    if (started.Succeeded)
                    {
                        usesScript = true;
                        ways.Add(PasskeyView.Form(context, PasskeyView.Ceremony.Get, started.Value!, DialogPath + "/passkey", "Confirm with a passkey", "step-up-passkey", [("returnUrl", returnTo), ("page", page)], primary: ways.Count == 0));
                    }

                    break;
                case ReauthenticationMethods.PasswordAndCode:
                case ReauthenticationMethods.Password:
                    var withCode = method == ReauthenticationMethods.PasswordAndCode;
                    ways.Add(Html.Of($"""
                        <form method="post" action="{DialogPath}" class="stack" data-testid="step-up-password">
                          {Forms.Antiforgery(context)}
                          {hidden}
                          <label>Your password <input type="password" name="password" autocomplete="current-password" required{Html.If(focusFirst && ways.Count == 0, HtmlContent.Trusted(" autofocus"))}></label>
                          {Html.If(withCode, Html.Of($"<label>Code from your authenticator app <input type=\"text\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9 ]*\" maxlength=\"10\" required></label>"))}
                          <button type="submit" class="{(ways.Count == 0 ? "primary" : string.Empty)}">Confirm</button>
                        </form>
                        """));
                    break;
            }
        }

        var joined = ways.Count switch
        {
            0 => Html.Of($"<p>This account has no way to confirm here. Sign out and sign in again.</p>"),
            1 => ways[0],
            _ => Html.Of($"{ways[0]}{Html.Join(ways.Skip(1).Select(w => Html.Of($"<p class=\"step-up-or\">or</p>{w}")))}"),
        };
        return Html.Of($"""
            <section class="card step-up" id="step-up" aria-labelledby="step-up-title" data-testid="step-up">
              <h2 id="step-up-title"{Html.If(!showHeading, HtmlContent.Trusted(" class=\"visually-hidden\""))}>Confirm it's you</h2>
              <p>To {what}, confirm it's you first. Then for {Minutes(context)} minutes you can make changes here without confirming again.</p>
              <div aria-live="assertive">{Layout.Errors(errors)}</div>
              {joined}
            </section>
            {Html.If(usesScript, PasskeyView.Script(context))}
            """);
    }

    /// <summary>The library's window in whole minutes (10 by default).</summary>
    private static int Minutes(HttpContext context) =>
        (int)context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<DependencyInjection.AccountSecurityOptions>>().Value.Reauthentication.Window.TotalMinutes;

    /// <summary>A time as the console shows it (UTC, to the minute).</summary>
    public static string Time(DateTimeOffset? at) =>
        at?.ToUniversalTime().ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "now";
}
