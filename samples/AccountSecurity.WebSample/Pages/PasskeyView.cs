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

    /// <summary>A passkey sign-in that did not succeed, said so the user knows what to do next.</summary>
    public static string SignInFailure(SignInResult result) => result.Status switch
    {
        SignInStatus.LockedOut => SignInPages.LockedOut(result.LockedOutUntil),
        SignInStatus.Busy => ConsoleText.Of("Too many sign-ins are being checked right now, so yours was not checked yet. Try again in {0} seconds.", Math.Ceiling(result.RetryAfter?.TotalSeconds ?? 1)),
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

/// <summary>A hidden field of a form.</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Value">Its value.</param>
public sealed record HiddenField(string Name, string Value);

/// <summary>
/// A ceremony form (<c>Pages/Shared/_PasskeyForm.cshtml</c>): posts <c>state</c> and <c>response</c> (the credential's
/// <c>toJSON()</c>) plus <paramref name="Fields"/> to <paramref name="Action"/> once the browser answered.
/// </summary>
/// <param name="Ceremony">What the button asks the browser for.</param>
/// <param name="Started">The library's options and sealed state.</param>
/// <param name="Action">Where the answer is posted.</param>
/// <param name="ButtonLabel">The button's text (a key of the console's texts).</param>
/// <param name="TestId">The button's test id.</param>
/// <param name="Fields">More hidden fields.</param>
/// <param name="Primary">Whether the button is the page's primary one.</param>
public sealed record PasskeyForm(PasskeyView.Ceremony Ceremony, PasskeyCeremony Started, string Action, string ButtonLabel, string TestId, IReadOnlyList<HiddenField> Fields, bool Primary = true)
{
    /// <summary>The test-id suffix of a "Sign out of all other sessions" checkbox in the form, if it has one.</summary>
    public string? EndOthersId { get; init; }

    /// <summary>The name input of a new passkey (with its default), if the form asks for one.</summary>
    public string? AskName { get; init; }
}

/// <summary>What <c>_PasskeysCard.cshtml</c> shows.</summary>
/// <param name="Passkeys">The user's passkeys.</param>
/// <param name="Errors">The messages of the last change.</param>
public sealed record PasskeysCard(IReadOnlyList<PasskeySummary> Passkeys, IReadOnlyList<string> Errors);
