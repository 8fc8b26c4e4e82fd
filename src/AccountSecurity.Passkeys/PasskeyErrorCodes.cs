namespace AccountSecurity.Passkeys;

/// <summary>The stable codes of every passkey failure. Messages may change; these never do.</summary>
public static class PasskeyErrorCodes
{
    /// <summary>The browser's response is not a WebAuthn response (not JSON, missing fields, too long).</summary>
    public const string MalformedResponse = "passkey_response_malformed";

    /// <summary>The response was made for another origin than this application's.</summary>
    public const string OriginMismatch = "passkey_origin_mismatch";

    /// <summary>The response was made for another relying party (RP id).</summary>
    public const string RelyingPartyMismatch = "passkey_rp_id_mismatch";

    /// <summary>The response signs another challenge than the ceremony's.</summary>
    public const string ChallengeMismatch = "passkey_challenge_mismatch";

    /// <summary>The ceremony's challenge was already accepted once (a replayed assertion).</summary>
    public const string ChallengeReplayed = "passkey_challenge_replayed";

    /// <summary>No ceremony is waiting, or it expired, or its state was altered: start again.</summary>
    public const string CeremonyExpired = "passkey_ceremony_expired";

    /// <summary>The signature counter did not move forward: the authenticator may have been cloned.</summary>
    public const string CounterRegressed = "passkey_counter_regressed";

    /// <summary>User verification (PIN or biometrics on the authenticator) was required and not performed.</summary>
    public const string UserVerificationRequired = "passkey_user_verification_required";

    /// <summary>The credential is not one of this user's passkeys (or no account has it).</summary>
    public const string UnknownCredential = "passkey_unknown_credential";

    /// <summary>The response did not verify (a bad signature, an unsupported algorithm, an invalid attestation).</summary>
    public const string InvalidResponse = "passkey_response_invalid";

    /// <summary>The credential is already registered for this user.</summary>
    public const string AlreadyRegistered = "passkey_already_registered";

    /// <summary>The user has as many passkeys as <see cref="PasskeyOptions.MaxPasskeysPerUser"/> allows.</summary>
    public const string LimitReached = "passkey_limit_reached";

    /// <summary>The name is empty, too long, or has control or invisible characters.</summary>
    public const string InvalidName = "passkey_invalid_name";

    /// <summary>Removing it would leave a user on whom 2FA is forced with no second factor.</summary>
    public const string LastSecondFactor = "passkey_last_second_factor";

    /// <summary>The session was not signed in with a second factor, which changing an account with one requires.</summary>
    public const string SecondFactorSessionRequired = "passkey_second_factor_session_required";

    /// <summary>The contract does not allow signing in with a passkey alone.</summary>
    public const string PasswordlessNotAllowed = "passkey_sign_in_not_allowed";
}
