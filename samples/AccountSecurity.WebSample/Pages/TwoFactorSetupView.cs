using AccountSecurity.TwoFactor;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>The setup assistant's pieces, shared by the forced setup at sign-in and the Password &amp; Security page.</summary>
public static class TwoFactorSetupView
{
    /// <summary>QR code, manual key and the code input posting to <paramref name="confirmAction"/>.</summary>
    /// <param name="setup">The started setup.</param>
    /// <param name="context">The request.</param>
    /// <param name="confirmAction">Where the code is posted.</param>
    /// <param name="errors">The messages of a wrong code.</param>
    /// <param name="extra">More inputs of the code form (in a session: "Sign out of all other sessions").</param>
    public static HtmlContent Render(TwoFactorSetup setup, HttpContext context, string confirmAction, IReadOnlyList<string> errors, HtmlContent? extra = null) => Html.Of($"""
        <ol class="steps">
          <li>Install an authenticator app on your phone (any app that supports TOTP).</li>
          <li>Scan this QR code with the app:
            <div class="qr" role="img" aria-label="QR code for the authenticator app">{HtmlContent.Trusted(setup.QrCodeSvg)}</div>
            or enter this key by hand: <code class="manual-key" data-testid="manual-key">{setup.ManualEntryKey}</code>
          </li>
          <li>Enter the 6-digit code the app shows to confirm.</li>
        </ol>
        {CodeForm(context, confirmAction, errors, extra)}
        """);

    /// <summary>Only the code input (after a wrong code: the key is not shown again; starting over makes a new one).</summary>
    public static HtmlContent ConfirmOnly(HttpContext context, string confirmAction, IReadOnlyList<string> errors, string restartHref) => Html.Of($"""
        {CodeForm(context, confirmAction, errors)}
        <p class="muted">Lost the key? <a href="{restartHref}">Start over</a> with a new one (remove the old entry from your app).</p>
        """);

    /// <summary>The one-time view of recovery codes.</summary>
    public static HtmlContent RecoveryCodes(IReadOnlyList<string> codes, string continueHref, string continueLabel, string headline = "Two-factor authentication is set up.") => Html.Of($"""
        <div class="alert alert-success" role="status">{headline}</div>
        <p><strong>Your recovery codes.</strong> Each one signs you in once if you lose your phone. They are shown only now:
        print them or keep them in a password manager.</p>
        <ul class="recovery-codes" data-testid="recovery-codes">{Html.Join(codes.Select(c => Html.Of($"<li><code>{c}</code></li>")))}</ul>
        <p><a class="button primary" href="{continueHref}">{continueLabel}</a></p>
        """);

    private static HtmlContent CodeForm(HttpContext context, string action, IReadOnlyList<string> errors, HtmlContent? extra = null) => Html.Of($"""
        {Layout.Errors(errors)}
        <form method="post" action="{action}" class="stack">
          {Forms.Antiforgery(context)}
          <label>Code from the app <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="10" required></label>
          {extra}
          <button type="submit" class="primary">Confirm and activate</button>
        </form>
        """);
}
