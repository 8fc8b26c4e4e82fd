using AccountSecurity.Passkeys;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.WebSample.Infrastructure;

namespace AccountSecurity.WebSample.Pages;

/// <summary>
/// The browser side of a passkey ceremony, shared by every page that runs one: a form that carries the library's
/// options (in a data attribute) and sealed state (in a hidden field), a button that runs
/// <c>navigator.credentials.create()</c> or <c>.get()</c>, and the one small script (allowed by the page's CSP nonce)
/// that puts the browser's answer into the form and submits it. The console stays server-rendered: without the
/// script the rest of every page works as before.
/// </summary>
public static class PasskeyView
{
    /// <summary>What the button asks the browser for.</summary>
    public enum Ceremony
    {
        /// <summary>Register a new passkey (<c>navigator.credentials.create()</c>).</summary>
        Create,

        /// <summary>Prove a passkey (<c>navigator.credentials.get()</c>).</summary>
        Get,
    }

    /// <summary>
    /// The ceremony form: posts <c>state</c> and <c>response</c> (the credential's <c>toJSON()</c>) plus
    /// <paramref name="fields"/> (and the inputs of <paramref name="visible"/>) to <paramref name="action"/> once the browser answered.
    /// </summary>
    public static HtmlContent Form(HttpContext context, Ceremony ceremony, PasskeyCeremony started, string action, string buttonLabel, string testId, IEnumerable<(string Name, string Value)>? fields = null, bool primary = true, HtmlContent? visible = null) => Html.Of($"""
        <form method="post" action="{action}" class="stack passkey-form" data-passkey="{(ceremony == Ceremony.Create ? "create" : "get")}" data-options="{started.OptionsJson}">
          {Forms.Antiforgery(context)}
          <input type="hidden" name="state" value="{started.State ?? string.Empty}">
          <input type="hidden" name="response" value="">
          {Html.Join((fields ?? []).Select(f => Html.Of($"<input type=\"hidden\" name=\"{f.Name}\" value=\"{f.Value}\">")))}
          {visible}
          <div class="alert alert-error passkey-error" role="alert" hidden></div>
          <button type="button" class="{(primary ? "primary" : string.Empty)}" data-passkey-start data-testid="{testId}">{buttonLabel}</button>
        </form>
        """);

    /// <summary>The script that runs every ceremony form of the page; once per page, after the forms.</summary>
    public static HtmlContent Script(HttpContext context) => Html.Of($$"""
        <script nonce="{{SecurityHeaders.Nonce(context)}}">
          (function () {
            function show(form, text) {
              var box = form.querySelector('.passkey-error');
              box.textContent = text;
              box.hidden = false;
            }
            document.querySelectorAll('form[data-passkey]').forEach(function (form) {
              var button = form.querySelector('[data-passkey-start]');
              button.addEventListener('click', async function () {
                form.querySelector('.passkey-error').hidden = true;
                var creating = form.dataset.passkey === 'create';
                if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON || !PublicKeyCredential.parseRequestOptionsFromJSON) {
                  show(form, 'This browser cannot use passkeys. Use a current version of Chrome, Edge, Firefox or Safari, or use your password and authenticator app.');
                  return;
                }
                button.disabled = true;
                try {
                  var options = JSON.parse(form.dataset.options);
                  var credential = creating
                    ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
                    : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
                  form.elements.response.value = JSON.stringify(credential.toJSON());
                  form.submit();
                } catch (error) {
                  button.disabled = false;
                  show(form, error && error.name === 'InvalidStateError'
                    ? 'This device already holds a passkey for your account. Use it, or add a passkey on another device.'
                    : 'The passkey request was cancelled or timed out. Try again when your device is ready.');
                }
              });
            });
          })();
        </script>
        """);

    /// <summary>A passkey sign-in that did not succeed, said so the user knows what to do next.</summary>
    public static string SignInFailure(SignInResult result) => result.Status switch
    {
        SignInStatus.LockedOut => SignInPages.LockedOut(result.LockedOutUntil),
        SignInStatus.Busy => $"Too many sign-ins are being checked right now, so yours was not checked yet. Try again in {Math.Ceiling(result.RetryAfter?.TotalSeconds ?? 1):0} seconds.",
        _ => result.ErrorCode switch
        {
            SecurityErrorCodes.PasskeySignInNotAllowed => "Your contract does not allow signing in with a passkey alone. Sign in with your e-mail address and password (your passkey then serves as the second step). The contract owner can allow passkey sign-in under Users & Groups.",
            SecurityErrorCodes.PasskeyUnknownCredential => "This passkey does not belong to an account here, or it was removed. Sign in with your password, or choose another passkey.",
            SecurityErrorCodes.PasskeyCeremonyExpired => "The passkey request has expired. Try again.",
            SecurityErrorCodes.PasskeyChallengeReplayed => "This passkey answer was already used once. Try again.",
            SecurityErrorCodes.PasskeyUserVerificationRequired => "Your device did not check that it is you (PIN, fingerprint or face). Try again and confirm on your device.",
            SecurityErrorCodes.PasskeyCounterRegressed => "This passkey was refused: its device reported an older signature counter, which can mean it was copied. Use another way to sign in and tell your administrator.",
            SecurityErrorCodes.PasskeyResponseMalformed => "The browser sent no usable passkey answer. Try again.",
            _ => "The passkey could not be verified. Try again, or use another way to sign in.",
        },
    };

    /// <summary>The messages of a failed passkey change on Password &amp; Security (a few said more plainly than the library's).</summary>
    public static IReadOnlyList<string> ChangeFailure(SecurityResult result) =>
        result.HasError(SecurityErrorCodes.PasskeySecondFactorSessionRequired)
            ? ["Your account already has two-factor authentication, and this session was signed in with the password only. To add a passkey, sign out and sign in again with your second factor (a code from your authenticator app or a passkey), then try again."]
            : result.HasError(SecurityErrorCodes.PasskeyCeremonyExpired)
            ? [.. SecurityPages.Messages(result), "Start again with \"Add a passkey\"."]
            : SecurityPages.Messages(result);
}
