using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.SupportPin;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// The support PIN: the user's card on "Password &amp; Security" (set, change, remove), and the page support staff
/// verify a caller on. The PIN is never echoed back, logged or put in a URL.
/// </summary>
public static class SupportPinPages
{
    /// <summary>Maps the endpoints (all require a signed-in user; verification requires owner or administrator).</summary>
    public static void Map(WebApplication app)
    {
        app.MapPost("/security/pin", async Task<IResult> (HttpContext context, ISupportPinService pins) =>
        {
            if (await SessionCookie.LoadAsync(context) is not (var session, _))
            {
                return Respond.Redirect("/signin?m=session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var result = await pins.SetPinAsync(session.UserId, form["currentPassword"], form["pin"], form["pinRepeated"], context.RequestAborted);
            return result.Succeeded
                ? Respond.Redirect("/security?m=pin-set#support-pin")
                : await SecurityPages.RenderWithPinErrorsAsync(context, SecurityPages.Messages(result));
        }).RequireAuthorization();

        app.MapPost("/security/pin/remove", async Task<IResult> (HttpContext context, ISupportPinService pins) =>
        {
            if (await SessionCookie.LoadAsync(context) is not (var session, _))
            {
                return Respond.Redirect("/signin?m=session-ended");
            }

            var result = await pins.RemovePinAsync(session.UserId, await Forms.FieldAsync(context, "currentPassword"), context.RequestAborted);
            return result.Succeeded
                ? Respond.Redirect("/security?m=pin-removed#support-pin")
                : await SecurityPages.RenderWithPinErrorsAsync(context, SecurityPages.Messages(result));
        }).RequireAuthorization();

        app.MapGet("/support", async Task<IResult> (HttpContext context) =>
        {
            var caller = await UsersPages.AdminAsync(context, "support", "Support: verify a caller");
            return caller is not (var agent, null)
                ? caller?.Denied ?? Respond.Redirect("/signin?m=session-ended")
                : SupportPage(context, agent, outcome: null, email: null);
        }).RequireAuthorization();

        app.MapPost("/support/verify", async Task<IResult> (HttpContext context, ISupportPinService pins) =>
        {
            var caller = await UsersPages.AdminAsync(context, "support", "Support: verify a caller");
            if (caller is not (var agent, null))
            {
                return caller?.Denied ?? Respond.Redirect("/signin?m=session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            string? email = form["email"];

            // The library authorizes the agent: by default a contract's own owner and administrators may check only
            // their own contract's accounts; any other address gets the unknown-account answer, and nothing is counted.
            var result = await pins.VerifyByEmailAsync(agent.Id, email, form["pin"], context.RequestAborted);
            return SupportPage(context, agent, result, email, result.IsVerified ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
        }).RequireAuthorization();
    }

    /// <summary>The "Support PIN" card of the Password &amp; Security page.</summary>
    public static async Task<HtmlContent> CardAsync(HttpContext context, UserSummary user, IReadOnlyList<string> errors)
    {
        var status = await context.RequestServices.GetRequiredService<ISupportPinService>().GetStatusAsync(user.Id, context.RequestAborted);
        var isSet = status.Succeeded && status.Value.IsSet;
        var since = isSet && status.Value.SetAt is { } setAt
            ? "Set since " + setAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) + "."
            : "No support PIN is set.";
        var remove = isSet
            ? Html.Of($"""
                <details>
                  <summary>Remove the support PIN</summary>
                  <form method="post" action="/security/pin/remove" class="stack">
                    {Forms.Antiforgery(context)}
                    <label>Current password <input type="password" name="currentPassword" autocomplete="current-password" required></label>
                    <button type="submit" class="danger">Remove PIN</button>
                  </form>
                </details>
                """)
            : HtmlContent.Empty;
        return Html.Of($"""
            <section class="card" id="support-pin" aria-labelledby="support-pin-title">
              <h2 id="support-pin-title">Support PIN</h2>
              <p class="muted">When you call support, you are asked for this PIN to prove the account is yours. {since}</p>
              {Layout.Errors(errors)}
              <form method="post" action="/security/pin" class="stack">
                {Forms.Antiforgery(context)}
                <label>Current password <input type="password" name="currentPassword" autocomplete="current-password" required></label>
                <label>{(isSet ? "New PIN" : "PIN")} (6 to 12 digits) <input type="password" name="pin" inputmode="numeric" autocomplete="off" required></label>
                <label>Repeat PIN <input type="password" name="pinRepeated" inputmode="numeric" autocomplete="off" required></label>
                <button type="submit" class="primary">{(isSet ? "Change PIN" : "Set PIN")}</button>
              </form>
              {remove}
            </section>
            """);
    }

    private static HtmlPageResult SupportPage(HttpContext context, UserSummary agent, SupportPinVerificationResult? outcome, string? email, int status = StatusCodes.Status200OK)
    {
        var answer = outcome switch
        {
            null => HtmlContent.Empty,
            { IsVerified: true } => Html.Of($"<div class=\"alert alert-success\" role=\"status\">Verified: the caller knows the support PIN of {email}.</div>"),
            { Outcome: SupportPinVerificationOutcome.LockedOut } => Html.Of($"<div class=\"alert alert-error\" role=\"alert\">Locked: too many wrong PINs for this account. Try again after {outcome.LockedUntil?.ToUniversalTime().ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)}.</div>"),
            _ => Html.Of($"<div class=\"alert alert-error\" role=\"alert\">Not verified: {outcome.Message}</div>"),
        };
        var body = Html.Of($"""
            <section class="card" aria-labelledby="verify-title">
              <h2 id="verify-title">Verify a caller</h2>
              <p class="muted">Ask the caller for the e-mail address of the account and its support PIN. Every check is audited with your id ({agent.Id}).</p>
              {answer}
              <form method="post" action="/support/verify" class="stack">
                {Forms.Antiforgery(context)}
                <label>Account e-mail <input type="email" name="email" value="{email ?? string.Empty}" autocomplete="off" required></label>
                <label>Support PIN <input type="password" name="pin" inputmode="numeric" autocomplete="off" required></label>
                <button type="submit" class="primary">Verify</button>
              </form>
            </section>
            """);
        return new HtmlPageResult(Layout.Console(context, agent, "support", "Support: verify a caller", body), status);
    }
}
