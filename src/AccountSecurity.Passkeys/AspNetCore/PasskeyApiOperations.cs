using AccountSecurity.AspNetCore.Endpoints;
using static AccountSecurity.AspNetCore.Endpoints.ApiOperations;
using static AccountSecurity.Results.SecurityErrorCodes;

namespace AccountSecurity.Passkeys.AspNetCore;

/// <summary>
/// The OpenAPI description of every passkey endpoint (<see cref="PasskeyEndpoints"/>), in the form of the core
/// endpoints' <see cref="ApiOperations"/>: the one list of each endpoint's problem codes. A new endpoint gets an entry
/// here and a row in the AspNetCore README's endpoint table.
/// </summary>
internal static class PasskeyApiOperations
{
    /// <summary>The failures of verifying a browser's assertion or attestation.</summary>
    private static readonly string[] VerificationCodes =
    [
        PasskeyResponseMalformed, PasskeyResponseInvalid, PasskeyOriginMismatch, PasskeyRelyingPartyMismatch, PasskeyChallengeMismatch,
        PasskeyChallengeReplayed, PasskeyCeremonyExpired, PasskeyCounterRegressed, PasskeyUserVerificationRequired, PasskeyUnknownCredential,
    ];

    /// <summary>A passkey sign-in step that failed (401; the lock only with <c>RevealLockout</c>, 403).</summary>
    private static readonly (int, string[])[] SignInFailures = [(401, [InvalidTicket, ConcurrencyConflict, PasskeySignInNotAllowed, PasskeyInvalidName, .. VerificationCodes]), (403, [LockedOut])];

    public static readonly ApiOperation SecondFactorOptions = Op("PasskeySignInOptions", "Starts the passkey step of a sign-in: WebAuthn request options and the sealed state.", null, 200, typeof(PasskeyCeremonyResponse),
        AntiforgeryCheck, (401, [InvalidTicket]), Limited);

    public static readonly ApiOperation SecondFactorSignIn = Op("PasskeySignIn", "Completes a sign-in with a passkey as the second factor.", typeof(PasskeyCredentialRequest), 200, typeof(SignInResponse),
        [AntiforgeryCheck, Body, .. SignInFailures, Limited]);

    public static readonly ApiOperation SetupOptions = Op("PasskeySetupOptions", "Starts registering a passkey as the forced second factor during the sign-in.", null, 200, typeof(PasskeyCeremonyResponse),
        AntiforgeryCheck, (401, [InvalidTicket]), Limited);

    public static readonly ApiOperation SetupSignIn = Op("PasskeySetupSignIn", "Registers the passkey of the forced setup and completes the sign-in.", typeof(PasskeyCredentialRequest), 200, typeof(SignInResponse),
        [AntiforgeryCheck, Body, .. SignInFailures, (401, [PasskeyAlreadyRegistered, PasskeyLimitReached]), Limited]);

    public static readonly ApiOperation PasswordlessOptions = Op("PasswordlessSignInOptions", "Starts a passwordless sign-in: WebAuthn request options and the sealed state.", null, 200, typeof(PasskeyCeremonyResponse),
        AntiforgeryCheck, Limited);

    public static readonly ApiOperation PasswordlessSignIn = Op("PasswordlessSignIn", "Signs in with a passkey alone (when the contract allows it).", typeof(PasskeyCredentialRequest), 200, typeof(SignInResponse),
        [AntiforgeryCheck, Body, .. SignInFailures, Limited]);

    public static readonly ApiOperation List = Op("PasskeyList", "The signed-in user's passkeys.", null, 200, typeof(PasskeyListResponse), [.. SignedIn, PasswordChangeGated]);

    public static readonly ApiOperation RegistrationOptions = Op("PasskeyRegistrationOptions", "Starts registering a passkey (the current password, or a session re-authenticated within the window): WebAuthn creation options and the sealed state.", typeof(PasskeyPasswordRequest), 200, typeof(PasskeyCeremonyResponse),
        [AntiforgeryCheck, Body, (400, [PasswordWrongCurrent, PasskeyLimitReached, PasskeySecondFactorSessionRequired]), .. SignedIn, PasswordChangeGated, .. AccountChange, Stale]);

    public static readonly ApiOperation Register = Op("PasskeyRegister", "Completes registering a passkey.", typeof(PasskeyCredentialRequest), 200, typeof(PasskeyItem),
        [AntiforgeryCheck, Body, (400, [PasskeyAlreadyRegistered, PasskeyLimitReached, PasskeyInvalidName, .. VerificationCodes]), .. SignedIn, PasswordChangeGated, (409, [ConcurrencyConflict])]);

    public static readonly ApiOperation Rename = Op("PasskeyRename", "Renames one of the signed-in user's passkeys.", typeof(PasskeyChangeRequest), 204, null,
        [AntiforgeryCheck, Body, (400, [PasskeyInvalidName, PasskeyUnknownCredential]), .. SignedIn, PasswordChangeGated, SetupGated, (409, [ConcurrencyConflict])]);

    public static readonly ApiOperation Remove = Op("PasskeyRemove", "Removes one of the signed-in user's passkeys (the current password, or a session re-authenticated within the window).", typeof(PasskeyChangeRequest), 204, null,
        [AntiforgeryCheck, Body, (400, [PasswordWrongCurrent, PasskeyUnknownCredential, PasskeyLastSecondFactor, PasskeySecondFactorSessionRequired]), .. SignedIn, PasswordChangeGated, SetupGated, .. AccountChange, Stale]);

    public static readonly ApiOperation SetPasswordless = Op("PasswordlessPolicySet", "Allows or forbids passwordless sign-in in the contract (contract owner).", typeof(PasswordlessPolicyRequest), 204, null,
        [AntiforgeryCheck, Body, .. SignedIn, PasswordChangeGated, SetupGated, (404, [NotFound]), (409, [ConcurrencyConflict]), Stale]);

    public static readonly ApiOperation ReauthenticationOptions = Op("PasskeyReauthenticationOptions", "Starts re-authenticating the session with a passkey: WebAuthn request options (user verification required) and the sealed state.", null, 200, typeof(PasskeyCeremonyResponse),
        [AntiforgeryCheck, (400, [ReauthenticationMethodUnavailable]), .. SignedIn]);

    public static readonly ApiOperation Reauthenticate = Op("PasskeyReauthenticate", "Re-authenticates the session with a passkey for sensitive changes.", typeof(PasskeyCredentialRequest), 200, typeof(ReauthenticatedResponse),
        [AntiforgeryCheck, Body, (400, [.. VerificationCodes]), .. SignedIn, (403, [LockedOut]), (409, [ConcurrencyConflict]), Limited]);
}
