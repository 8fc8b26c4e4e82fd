using AccountSecurity.AspNetCore.RateLimiting;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>Password reset by e-mail, and the demo outbox that stands in for the e-mail.</summary>
public static class ResetPages
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app)
    {
        app.MapGet("/reset", IResult (HttpContext context, Flash flash) =>
        {
            var data = flash.Take(context);
            return RequestPage(context, sent: data.Notice is not null, data.ErrorsOf("reset"), data.Value("email"));
        });

        app.MapPost("/reset", async Task<IResult> (HttpContext context, IPasswordResetService resets, Flash flash) =>
        {
            var email = await Forms.FieldAsync(context, "email") ?? string.Empty;
            if (AbuseLimits.Refusal(context, AbuseOperation.PasswordReset, email, "/reset") is { } refused)
            {
                return refused;
            }

            var result = await resets.RequestResetAsync(email, context.RequestAborted);
            return result.Succeeded
                ? flash.Notice(context, "/reset", "sent")
                : flash.Errors(context, "/reset", "reset", ["Enter a valid e-mail address, like name@example.com."], new(StringComparer.Ordinal) { ["email"] = email.Length > 320 ? email[..320] : email });
        });

        app.MapGet("/reset/confirm", IResult (HttpContext context, Flash flash) =>
        {
            var data = flash.Take(context);
            return ConfirmPage(context, data.Value("email"), data.ErrorsOf("confirm"));
        });

        app.MapPost("/reset/confirm", async Task<IResult> (HttpContext context, IPasswordResetService resets, Flash flash) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var email = form["email"].ToString();
            if (AbuseLimits.Refusal(context, AbuseOperation.PasswordReset, email, "/reset/confirm") is { } refused)
            {
                return refused;
            }

            var result = await resets.ResetPasswordAsync(email, form["token"], form["newPassword"], form["newPasswordRepeated"], context.RequestAborted);
            return result.Succeeded
                ? Respond.SeeOther("/signin?m=password-reset")
                : flash.Errors(
                    context,
                    "/reset/confirm",
                    "confirm",
                    [.. SecurityPages.Messages(result), "For your safety the reset code is not kept: paste it from the e-mail again (or open its link again), then choose a password that meets the rules."],
                    new(StringComparer.Ordinal) { ["email"] = email.Length > 320 ? email[..320] : email });
        });

        app.MapGet("/dev/outbox", IResult (DevOutbox resets, DevNotificationOutbox notifications) => new HtmlPageResult(OutboxPage(resets.Messages, notifications.Mails)));
    }

    /// <summary>
    /// The demo outbox: every security notification as the user would read the e-mail, then the reset mails. The page
    /// has no sign-in (like the reset mails it shows, it stands in for everyone's mailbox), which is why only a demo has
    /// it and the sample listens on loopback only.
    /// </summary>
    private static HtmlContent OutboxPage(IReadOnlyList<OutboxMessage> resets, IReadOnlyList<NotificationMail> notifications)
    {
        var mails = Html.Join(notifications.Select((m, i) => Html.Of($"""
            <article class="mail" data-testid="notification" data-kind="{m.Kind}" aria-labelledby="mail-{i}-subject">
              <dl class="mail-header">
                <dt>To</dt><dd data-testid="notification-to">{string.Join(", ", m.To)}</dd>
                <dt>Subject</dt><dd data-testid="notification-subject" lang="{m.Language}"><strong id="mail-{i}-subject">{m.Subject}</strong></dd>
                <dt>Sent</dt><dd>{m.SentAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC</dd>
              </dl>
              <div class="mail-body" data-testid="notification-body" lang="{m.Language}">{m.Body}</div>
            </article>
            """)));
        var none = HtmlContent.Trusted("<p data-testid=\"no-notifications\">No security notifications yet. Change your password or set a support PIN, then reload this page.</p>");
        var noResets = HtmlContent.Trusted("<p data-testid=\"no-resets\">No reset mails yet: <a href=\"/reset\">Forgot your password?</a> sends one.</p>");
        var rows = Html.Join(resets.Select(m => Html.Of($"""
            <tr><td data-label="To">{m.To}</td><td data-label="Sent">{m.SentAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC</td><td data-label="Expires">{m.ExpiresAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC</td>
            <td data-label="Link"><a data-testid="reset-link" href="/reset/confirm#email={Uri.EscapeDataString(m.To)}&amp;token={Uri.EscapeDataString(m.Token)}">Reset your password</a></td></tr>
            """)));
        return Layout.Bare("Outbox (demo)", wide: true, body: Html.Of($"""
            <div class="alert alert-warning" role="note"><strong>Demo stand-in for e-mail.</strong> A real host sends these messages by
            e-mail and has no such page. This page exists only so the sample works without a mail server: it has no sign-in and shows
            everyone's mail, so the sample listens on loopback only. The newest {DevNotificationOutbox.Capacity} of each kind are kept
            in memory and lost at a restart.</div>
            <p class="muted"><a href="#notifications">Security notifications ({notifications.Count})</a> · <a href="#resets">Password reset mails ({resets.Count})</a> · <a href="/signin">Back to sign-in</a></p>
            <section aria-labelledby="notifications" class="outbox-section">
              <h2 id="notifications">Security notifications</h2>
              <p class="muted">What the library tells an account's owner after a change to its security (password, two-factor
              authentication, recovery codes, passkeys, support PIN, e-mail address, a lock, a new device), in the user's language,
              sent from a background queue: a mail can appear a moment after the change. Newest first.</p>
              {(notifications.Count == 0 ? none : mails)}
            </section>
            <section aria-labelledby="resets" class="outbox-section">
              <h2 id="resets">Password reset mails</h2>
              {(resets.Count == 0 ? noResets : Html.Of($"""<table class="table stackable"><thead><tr><th>To</th><th>Sent</th><th>Expires</th><th>Link</th></tr></thead><tbody>{rows}</tbody></table>"""))}
            </section>
            """));
    }

    private static HtmlPageResult RequestPage(HttpContext context, bool sent, IReadOnlyList<string> errors, string? email, int status = StatusCodes.Status200OK) =>
        new(Layout.Bare("Reset your password", Html.Of($"""
            {Layout.Errors(errors)}
            {(sent
                ? Layout.Success("If an account exists for this address, we have sent it a link to reset the password. The link is valid for a short time and works once.")
                : HtmlContent.Empty)}
            <form method="post" action="/reset" class="stack">
              {Forms.Antiforgery(context)}
              <label>E-mail address <input type="email" name="email" autocomplete="username" required value="{email}"></label>
              <button type="submit" class="primary">Send reset link</button>
            </form>
            <p class="muted">Demo: the e-mail lands in the <a href="/dev/outbox">outbox</a>. <a href="/signin">Back to sign-in</a></p>
            """)), status);

    private static HtmlPageResult ConfirmPage(HttpContext context, string? email, IReadOnlyList<string> errors, int status = StatusCodes.Status200OK) =>
        new(Layout.Bare("Choose a new password", Html.Of($$"""
            {{Layout.Errors(errors)}}
            <form method="post" action="/reset/confirm" class="stack" id="reset-form">
              {{Forms.Antiforgery(context)}}
              <label>E-mail address <input type="email" name="email" autocomplete="username" required value="{{email}}"></label>
              <label>Reset code from the e-mail <input type="text" name="token" autocomplete="off" required></label>
              <label>New password <input type="password" name="newPassword" autocomplete="new-password" required></label>
              <label>Repeat new password <input type="password" name="newPasswordRepeated" autocomplete="new-password" required></label>
              <button type="submit" class="primary">Set new password</button>
            </form>
            <script nonce="{{SecurityHeaders.Nonce(context)}}">
              // The link carries the token in the fragment, which the browser never sends to a server or a log:
              // move it into the form and drop it from the address bar and history.
              (function () {
                var params = new URLSearchParams(location.hash.slice(1));
                var form = document.getElementById('reset-form');
                if (params.get('email')) { form.elements.email.value = params.get('email'); }
                if (params.get('token')) { form.elements.token.value = params.get('token'); }
                if (location.hash) { history.replaceState(null, '', location.pathname); }
              })();
            </script>
            """)), status);
}
