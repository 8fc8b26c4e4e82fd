using System.Globalization;
using AccountSecurity.Accounts;
using AccountSecurity.AspNetCore.Authorization;
using AccountSecurity.AspNetCore.RateLimiting;
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
        app.MapPost("/security/pin", async Task<IResult> (HttpContext context, ISupportPinService pins, Flash flash) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var result = await pins.SetPinAsync(session, form["currentPassword"], form["pin"], form["pinRepeated"], context.RequestAborted);
            return result.Succeeded
                ? Respond.SeeOther("/security?m=pin-set#support-pin")
                : flash.Errors(context, "/security#support-pin", "pin", [.. SecurityPages.Messages(result), "The PIN was not saved. Enter your current password and the PIN twice."]);
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);

        app.MapPost("/security/pin/remove", async Task<IResult> (HttpContext context, ISupportPinService pins, Flash flash) =>
        {
            if (await CurrentUser.LoadAsync(context) is not (var session, _))
            {
                return Respond.SeeOther("/session-ended");
            }

            var result = await pins.RemovePinAsync(session, await Forms.FieldAsync(context, "currentPassword"), context.RequestAborted);
            return result.Succeeded
                ? Respond.SeeOther("/security?m=pin-removed#support-pin")
                : flash.Errors(context, "/security#support-pin", "pin", SecurityPages.Messages(result));
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);

        app.MapGet("/support", async Task<IResult> (HttpContext context, Flash flash) =>
        {
            var caller = await UsersPages.AdminAsync(context, "support", "Support: verify a caller");
            if (caller is not (var agent, null))
            {
                return caller?.Denied ?? Respond.Redirect("/session-ended");
            }

            var data = flash.Take(context);
            return SupportPage(context, agent, data);
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);

        app.MapPost("/support/verify", async Task<IResult> (HttpContext context, ISupportPinService pins, Flash flash) =>
        {
            var caller = await UsersPages.AdminAsync(context, "support", "Support: verify a caller");
            if (caller is not (var agent, null))
            {
                return caller?.Denied ?? Respond.SeeOther("/session-ended");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var email = form["email"].ToString();
            if (AbuseLimits.Refusal(context, AbuseOperation.SupportPinVerification, email, "/support") is { } refused)
            {
                return refused;
            }

            // The library authorizes the agent: by default a contract's own owner and administrators may check only
            // their own contract's accounts; any other address gets the unknown-account answer, and nothing is counted.
            var result = await pins.VerifyByEmailAsync(agent.Id, email, form["pin"], context.RequestAborted);
            var answer = result switch
            {
                { Succeeded: true } => $"Verified: the caller knows the support PIN of {email}.",
                { Outcome: SupportPinVerificationOutcome.LockedOut } => $"Locked: too many wrong PINs for this account. Try again after {result.LockedOutUntil?.ToUniversalTime().ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)}; until then, verify the caller another way.",
                _ => $"Not verified: {result.Errors[0].Message} Ask the caller to repeat the PIN; do not give any account details.",
            };

            // The e-mail is typed by the agent and shown back; the PIN never leaves this request.
            var typed = new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = email.Length > 320 ? email[..320] : email };
            return result.Succeeded
                ? flash.Redirect(context, "/support", new FlashData { Notice = answer, Values = typed })
                : flash.Errors(context, "/support", "verify", [answer], typed);
        }).RequireAuthorization(AccountSecurityPolicies.SignedIn);
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

    private static HtmlPageResult SupportPage(HttpContext context, UserSummary agent, FlashData data)
    {
        var answer = data.ErrorsOf("verify") is { Count: > 0 } errors
            ? Html.Of($"<div class=\"alert alert-error\" role=\"alert\">{errors[0]}</div>")
            : Layout.Success(data.Notice);
        var email = data.Value("email");
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
        return new HtmlPageResult(Layout.Console(context, agent, "support", "Support: verify a caller", body));
    }
}
