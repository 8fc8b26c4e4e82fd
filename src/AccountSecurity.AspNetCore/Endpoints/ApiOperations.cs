using AccountSecurity.Passwords.Policy;
using static AccountSecurity.Results.SecurityErrorCodes;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// The OpenAPI description of every endpoint <c>MapAccountSecurityApi</c> maps: request, success answer and, per problem
/// status, the codes it can carry. The one list of an endpoint's problem codes: the Map lines put these on the
/// endpoints (<see cref="ApiOperationExtensions.Describe{TBuilder}"/>), the host's OpenAPI document shows them and a test
/// checks the README's endpoint table against that document. A new endpoint gets an entry here and a row there.
/// </summary>
internal static class ApiOperations
{
    // Problems shared by many endpoints.
    internal static readonly string[] NewPasswordCodes =
    [
        PasswordRequired, PasswordInvalidCharacters, PasswordTooShort, PasswordTooLong, PasswordRequiresDigit, PasswordRequiresUppercase,
        PasswordRequiresLowercase, PasswordRequiresSpecial, PasswordCommon, PasswordCommonVariant, PasswordControlCharacters,
        PasswordWhitespaceOnly, PasswordInvisibleOnly, PasswordRepeatedCharacters, PasswordRepeatedPattern, PasswordSequence,
        PasswordKeyboardWalk, PasswordContextWords, PasswordBreached, PasswordBreachCheckUnavailable, PasswordContainsEmail, PasswordReused, PasswordMismatch, PasswordSameAsCurrent,
    ];

    internal static readonly string[] SupportPinRuleCodes =
    [
        SupportPinRequired, SupportPinNotDigits, SupportPinTooShort, SupportPinTooLong, SupportPinSameDigit, SupportPinSequential,
        SupportPinPattern, SupportPinCommon, SupportPinMismatch,
    ];

    /// <summary>A sign-in step after the password that failed (401), or a lock revealed by <c>RevealLockout</c> (403).</summary>
    internal static readonly (int, string[])[] SecondStepFailures = [(401, [InvalidCode, CodeReplayed, InvalidTicket, ConcurrencyConflict]), (403, [LockedOut])];

    /// <summary>The session policy: no session (401) or not allowed (403).</summary>
    internal static readonly (int, string[])[] SignedIn = [(401, [NotAuthenticated]), (403, [NotAuthorized])];

    /// <summary>An endpoint a session in forced 2FA setup does not reach yet.</summary>
    internal static readonly (int, string[]) SetupGated = (403, [TwoFactorSetupRequired]);

    /// <summary>An endpoint a session that must first change a breached password does not reach yet.</summary>
    internal static readonly (int, string[]) PasswordChangeGated = (403, [PasswordChangeRequired]);

    /// <summary>A state change under a cookie: the antiforgery check.</summary>
    internal static readonly (int, string[]) AntiforgeryCheck = (400, [AntiforgeryInvalid]);

    /// <summary>A sensitive change without a password in the request, from a session that did not re-authenticate within the window.</summary>
    internal static readonly (int, string[]) Stale = (401, [ReauthenticationRequired]);

    /// <summary>A JSON body that could not be read.</summary>
    internal static readonly (int, string[]) Body = (400, [InvalidInput]);

    internal static readonly (int, string[]) Limited = (429, [RateLimited]);

    internal static readonly (int, string[]) Overloaded = (503, [Busy]);

    /// <summary>A check of the user's current password (or another stored secret) that changes the account.</summary>
    internal static readonly (int, string[])[] AccountChange = [(403, [LockedOut]), (404, [NotFound]), (409, [ConcurrencyConflict]), Overloaded];

    public static readonly ApiOperation AntiforgeryToken = Op("Antiforgery", "Gets the antiforgery token for the state changes made with a cookie.", null, 200, typeof(AntiforgeryResponse));

    public static readonly ApiOperation SignIn = Op("SignIn", "Signs in with e-mail and password.", typeof(PasswordSignInRequest), 200, typeof(SignInResponse),
        Body, (401, [InvalidCredentials]), (403, [LockedOut]), Limited, Overloaded);

    public static readonly ApiOperation SignInSecondFactor = Op("SignInSecondFactor", "Completes a sign-in with the authenticator app's code.", typeof(CodeRequest), 200, typeof(SignInResponse),
        [AntiforgeryCheck, Body, .. SecondStepFailures, Limited, Overloaded]);

    public static readonly ApiOperation SignInRecoveryCode = Op("SignInRecoveryCode", "Completes a sign-in with a recovery code.", typeof(RecoveryCodeRequest), 200, typeof(SignInResponse),
        [AntiforgeryCheck, Body, .. SecondStepFailures, Limited, Overloaded]);

    public static readonly ApiOperation SignInSetup = Op("SignInSetup", "Starts the two-factor setup an administrator forced, during the sign-in.", null, 200, typeof(SetupResponse),
        AntiforgeryCheck, (401, [InvalidTicket]), Limited);

    public static readonly ApiOperation SignInSetupConfirm = Op("SignInSetupConfirm", "Confirms the forced two-factor setup with a code and completes the sign-in.", typeof(CodeRequest), 200, typeof(SignInResponse),
        [AntiforgeryCheck, Body, .. SecondStepFailures, Limited, Overloaded]);

    public static readonly ApiOperation PasswordResetRequest = Op("PasswordResetRequest", "Requests a password reset mail (the same answer for every address).", typeof(ResetRequest), 202, typeof(AcceptedResponse),
        (400, [InvalidInput]), Limited);

    public static readonly ApiOperation PasswordResetComplete = Op("PasswordResetComplete", "Sets a new password with the token of a reset mail.", typeof(ResetCompleteRequest), 204, null,
        Body, (400, [ResetTokenInvalid, .. NewPasswordCodes]), Limited, Overloaded);

    public static readonly ApiOperation SignOut = Op("SignOut", "Signs out: the session ends on the server and its cookie is deleted.", null, 204, null, [AntiforgeryCheck, .. SignedIn]);

    public static readonly ApiOperation Session = Op("Session", "The signed-in session.", null, 200, typeof(SessionResponse), SignedIn);

    public static readonly ApiOperation PasswordChange = Op("PasswordChange", "Changes the signed-in user's password; the other sessions end unless signOutOtherSessions is false.", typeof(PasswordChangeRequest), 204, null,
        [AntiforgeryCheck, Body, (400, [PasswordWrongCurrent, .. NewPasswordCodes]), .. SignedIn, SetupGated, .. AccountChange, Stale]);

    public static readonly ApiOperation TwoFactorStatus = Op("TwoFactorStatus", "The signed-in user's two-factor status.", null, 200, typeof(TwoFactorStatusResponse),
        [.. SignedIn, PasswordChangeGated, (404, [NotFound])]);

    public static readonly ApiOperation TwoFactorSetup = Op("TwoFactorSetup", "Starts setting up an authenticator app.", typeof(PasswordAndCodeRequest), 200, typeof(SetupResponse),
        [AntiforgeryCheck, Body, (400, [PasswordWrongCurrent, InvalidCode, CodeReplayed, TwoFactorCurrentCodeRequired, TotpAccountNameInvalid]), .. SignedIn, PasswordChangeGated, .. AccountChange, Stale]);

    public static readonly ApiOperation TwoFactorConfirm = Op("TwoFactorConfirm", "Confirms the authenticator app with a code; answers the recovery codes.", typeof(TwoFactorConfirmRequest), 200, typeof(RecoveryCodesResponse),
        [AntiforgeryCheck, Body, (400, [InvalidCode, CodeReplayed, TwoFactorNoPendingSetup]), .. SignedIn, PasswordChangeGated, .. AccountChange]);

    public static readonly ApiOperation TwoFactorDisable = Op("TwoFactorDisable", "Switches two-factor authentication off.", typeof(PasswordAndCodeRequest), 204, null,
        [AntiforgeryCheck, Body, (400, [PasswordWrongCurrent, InvalidCode, CodeReplayed, TwoFactorForced, TwoFactorNotEnabled]), .. SignedIn, PasswordChangeGated, SetupGated, .. AccountChange, Stale]);

    public static readonly ApiOperation TwoFactorRecoveryCodes = Op("TwoFactorRecoveryCodes", "Replaces the recovery codes.", typeof(PasswordAndCodeRequest), 200, typeof(RecoveryCodesResponse),
        [AntiforgeryCheck, Body, (400, [PasswordWrongCurrent, InvalidCode, CodeReplayed, TwoFactorNotEnabled]), .. SignedIn, PasswordChangeGated, SetupGated, .. AccountChange, Stale]);

    public static readonly ApiOperation SupportPinStatus = Op("SupportPinStatus", "The signed-in user's support PIN status.", null, 200, typeof(SupportPinStatusResponse),
        [.. SignedIn, PasswordChangeGated, SetupGated, (404, [NotFound])]);

    public static readonly ApiOperation SupportPinSet = Op("SupportPinSet", "Sets or replaces the signed-in user's support PIN.", typeof(SupportPinSetRequest), 200, typeof(SupportPinStatusResponse),
        [AntiforgeryCheck, Body, (400, [PasswordWrongCurrent, .. SupportPinRuleCodes]), .. SignedIn, PasswordChangeGated, SetupGated, .. AccountChange, Stale]);

    public static readonly ApiOperation SupportPinRemove = Op("SupportPinRemove", "Removes the signed-in user's support PIN.", typeof(CurrentPasswordRequest), 204, null,
        [AntiforgeryCheck, Body, (400, [PasswordWrongCurrent, SupportPinNotSet]), .. SignedIn, PasswordChangeGated, SetupGated, .. AccountChange, Stale]);

    public static readonly ApiOperation SupportPinVerify = Op("SupportPinVerify", "A support agent checks a caller's support PIN (the agent is the signed-in user).", typeof(SupportPinVerifyRequest), 200, typeof(SupportPinVerifiedResponse),
        [AntiforgeryCheck, Body, (400, [SupportAccountRequired, SupportAgentInvalid, UserInactive, SupportPinRequired, SupportPinNotDigits, SupportPinTooLong]), .. SignedIn, PasswordChangeGated, SetupGated, (403, [SupportAgentNotAuthorized]), (404, [NotFound]),
         (422, [SupportPinWrong, SupportPinNotSet]), (423, [LockedOut]), Limited, Overloaded]);

    public static readonly ApiOperation PolicyGet = Op("PolicyGet", "The contract's effective password policy.", null, 200, typeof(PasswordPolicySettings), [.. SignedIn, SetupGated]);

    public static readonly ApiOperation PolicySet = Op("PolicySet", "Sets the contract's password policy (contract owner).", typeof(PasswordPolicySettings), 204, null,
        [AntiforgeryCheck, Body, (400, [PasswordPolicyInvalid]), .. SignedIn, PasswordChangeGated, SetupGated, (409, [ConcurrencyConflict]), Overloaded, Stale]);

    public static readonly ApiOperation AdminForceTwoFactor = Op("AdminForceTwoFactor", "An administrator requires (or stops requiring) two-factor authentication of a user.", typeof(ForceTwoFactorRequest), 204, null,
        [AntiforgeryCheck, Body, .. SignedIn, PasswordChangeGated, SetupGated, (404, [NotFound]), (409, [ConcurrencyConflict]), Overloaded, Stale]);

    public static readonly ApiOperation AdminResetTwoFactor = Op("AdminResetTwoFactor", "An administrator resets a user's second factors.", null, 204, null,
        [AntiforgeryCheck, .. SignedIn, PasswordChangeGated, SetupGated, (404, [NotFound]), (409, [ConcurrencyConflict]), Overloaded, Stale]);

    public static readonly ApiOperation AdminInviteUser = Op("AdminInviteUser", "An administrator invites a user into the contract (the same answer for a new address and another contract's).", typeof(InviteUserRequest), 202, typeof(AcceptedResponse),
        [AntiforgeryCheck, Body, (400, [EmailConfusable]), .. SignedIn, PasswordChangeGated, SetupGated, (409, [Duplicate, ConcurrencyConflict]), Limited, Overloaded]);

    public static readonly ApiOperation InvitationAccept = Op("InvitationAccept", "Sets the password of an invited or registered account with the token of its mail, and activates it.", typeof(AcceptInvitationRequest), 204, null,
        Body, (400, [InvitationInvalid, PasswordMismatch, .. NewPasswordCodes]), (409, [ConcurrencyConflict]), Limited, Overloaded);

    public static readonly ApiOperation Register = Op("Register", "Self-registration: a new contract for an e-mail address, confirmed through a mail (the same answer for every address).", typeof(RegisterRequest), 202, typeof(AcceptedResponse),
        Body, (403, [RegistrationDisabled]), Limited);

    public static readonly ApiOperation Sessions = Op("Sessions", "The signed-in user's live sessions, newest first, the current one marked.", null, 200, typeof(SessionListResponse),
        [.. SignedIn, PasswordChangeGated, SetupGated]);

    public static readonly ApiOperation SessionEnd = Op("SessionEnd", "Ends one of the signed-in user's sessions (the current one signs out).", null, 204, null,
        [AntiforgeryCheck, .. SignedIn, PasswordChangeGated, SetupGated, (404, [NotFound])]);

    public static readonly ApiOperation SessionsEndOthers = Op("SessionsEndOthers", "Ends every session of the signed-in user but the current one.", null, 200, typeof(SessionsEndedResponse),
        [AntiforgeryCheck, .. SignedIn, PasswordChangeGated, SetupGated, (400, [InvalidInput])]);

    public static readonly ApiOperation AdminEndSessions = Op("AdminEndSessions", "An administrator ends every session of a user of their contract.", null, 200, typeof(SessionsEndedResponse),
        [AntiforgeryCheck, .. SignedIn, PasswordChangeGated, SetupGated, (404, [NotFound]), Stale]);

    public static readonly ApiOperation SessionPolicyGet = Op("SessionPolicyGet", "The contract's effective session policy and the host's bounds, in minutes.", null, 200, typeof(SessionPolicyResponse),
        [.. SignedIn, PasswordChangeGated, SetupGated]);

    public static readonly ApiOperation SessionPolicySet = Op("SessionPolicySet", "Sets the contract's session policy (contract owner); every member absent clears it.", typeof(SessionPolicyRequest), 204, null,
        [AntiforgeryCheck, Body, (400, [SessionPolicyInvalid]), .. SignedIn, PasswordChangeGated, SetupGated, (409, [ConcurrencyConflict]), Overloaded, Stale]);

    public static readonly ApiOperation ReauthenticationStatus = Op("ReauthenticationStatus", "Whether the session may make sensitive changes now without a password in the request, until when, and the ways to re-authenticate.", null, 200, typeof(ReauthenticationStatusResponse),
        [.. SignedIn]);

    public static readonly ApiOperation Reauthenticate = Op("Reauthenticate", "Re-authenticates the session with the password (and the authenticator code when it is on) for sensitive changes.", typeof(ReauthenticateRequest), 200, typeof(ReauthenticatedResponse),
        [AntiforgeryCheck, Body, (400, [PasswordWrongCurrent, InvalidCode, CodeReplayed, TwoFactorCurrentCodeRequired, ReauthenticationMethodUnavailable]), .. SignedIn, (403, [LockedOut]), (409, [ConcurrencyConflict]), Limited, Overloaded]);

    /// <summary>An operation named <c>AccountSecurity.</c><paramref name="name"/>; problems of the same status are merged.</summary>
    internal static ApiOperation Op(string name, string summary, Type? request, int successStatus, Type? response, params (int Status, string[] Codes)[] problems) => new()
    {
        Name = "AccountSecurity." + name,
        Summary = summary,
        Request = request,
        SuccessStatus = successStatus,
        Response = response,
        Problems = problems
            .GroupBy(p => p.Status)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.SelectMany(p => p.Codes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]),
    };
}
