namespace AccountSecurity.Passkeys;

/// <summary>
/// A started WebAuthn ceremony: <see cref="OptionsJson"/> goes to the browser as it is (the
/// <c>PublicKeyCredentialCreationOptions</c> or <c>…RequestOptions</c> JSON, binary fields base64url), and
/// <see cref="State"/>, when set, comes back with the browser's response. Neither is secret; the state is sealed
/// (authenticated encryption) so it cannot be altered, and its challenge is accepted once.
/// </summary>
/// <param name="OptionsJson">The options for <c>navigator.credentials.create()</c> or <c>.get()</c>.</param>
/// <param name="State">The sealed ceremony state to send back; <see langword="null"/> for registration, whose challenge waits in the store.</param>
public sealed record PasskeyCeremony(string OptionsJson, string? State)
{
    /// <inheritdoc />
    public override string ToString() => "PasskeyCeremony { }";
}

/// <summary>A user's view of one passkey: no key material.</summary>
/// <param name="CredentialId">The credential id (base64url), to name it in <see cref="IPasskeyService.RenameAsync"/> and <see cref="IPasskeyService.RemoveAsync"/>.</param>
/// <param name="Name">The name the user gave it.</param>
/// <param name="IsSynced">Whether it may be synced to other devices (<c>swk</c>) rather than bound to one (<c>hwk</c>).</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="LastUsedAt">When it last completed a sign-in.</param>
public sealed record PasskeySummary(string CredentialId, string Name, bool IsSynced, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>A passkey change: the account's new security stamp (re-issue the caller's session with it; every other session ended) and the passkey concerned.</summary>
/// <param name="SecurityStamp">The stamp the change stored.</param>
/// <param name="Passkey">The passkey added or removed.</param>
public sealed record PasskeyChanged(string SecurityStamp, PasskeySummary Passkey)
{
    /// <inheritdoc />
    public override string ToString() => $"PasskeyChanged {{ Passkey = {Passkey.Name} }}";
}

/// <summary>
/// Passkeys (WebAuthn) for the signed-in user, as the second factor of a sign-in, and for passwordless sign-in.
/// Every expected failure is a result with a code from <see cref="SecurityErrorCodes"/> (or the core's codes); no
/// method throws for anything a browser or a user sends.
/// </summary>
public interface IPasskeyService
{
    /// <summary>The user's passkeys, oldest first; empty for an unknown user.</summary>
    ValueTask<IReadOnlyList<PasskeySummary>> ListAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts registering a passkey for the session's user, re-authenticated (a sensitive operation,
    /// <see cref="Reauthentication.SensitiveOperation.AddPasskey"/>): either <paramref name="currentPassword"/> (counted
    /// under the password lockout) and, when the account already has a second factor, a session signed in with one; or,
    /// with <see langword="null"/>, a session re-authenticated within the window (<c>reauthentication_required</c>) —
    /// how an account without a password adds its next passkey. The
    /// challenge waits in the store (any instance can complete it, once); the options exclude the user's existing
    /// passkeys and ask for a discoverable credential with user verification preferred, attestation <c>none</c>.
    /// </summary>
    ValueTask<SecurityResult<PasskeyCeremony>> BeginRegistrationAsync(AuthenticatedSession session, string? currentPassword, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies the browser's attestation against the waiting challenge and stores the passkey under
    /// <paramref name="name"/>. The security stamp changes (other sessions end); the result carries the new one.
    /// </summary>
    ValueTask<SecurityResult<PasskeyChanged>> CompleteRegistrationAsync(AuthenticatedSession session, string? attestationResponseJson, string? name, CancellationToken cancellationToken = default);

    /// <summary>Renames one of the session's user's passkeys. Changes nothing else.</summary>
    ValueTask<SecurityResult> RenameAsync(AuthenticatedSession session, string? credentialId, string? name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes one of the session's user's passkeys after the current password, or, with <paramref name="currentPassword"/>
    /// <see langword="null"/>, for a session re-authenticated within the window (<c>reauthentication_required</c>). Refused with
    /// <see cref="SecurityErrorCodes.PasskeyLastSecondFactor"/> when 2FA is forced on the user and it is their last second factor.
    /// </summary>
    ValueTask<SecurityResult<PasskeyChanged>> RemoveAsync(AuthenticatedSession session, string? credentialId, string? currentPassword, CancellationToken cancellationToken = default);

    /// <summary>Starts the passkey step of a sign-in whose password step returned <see cref="SignInStatus.SecondFactorRequired"/>.</summary>
    ValueTask<SecurityResult<PasskeyCeremony>> BeginSecondFactorAsync(string? ticket, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a sign-in with a passkey assertion, like <see cref="ISignInService.SecondFactorSignInAsync"/> with a
    /// TOTP code: the same ticket (spent by the success), the same second-factor lockout, the same events. The session's
    /// methods are <c>pwd</c>, <c>hwk</c> or <c>swk</c>, and <c>mfa</c>.
    /// </summary>
    ValueTask<SignInResult> SecondFactorSignInAsync(string? ticket, string? state, string? assertionResponseJson, CancellationToken cancellationToken = default);

    /// <summary>Starts a forced setup with a passkey instead of an authenticator app, for a sign-in that returned <see cref="SignInStatus.TwoFactorSetupRequired"/>.</summary>
    ValueTask<SecurityResult<PasskeyCeremony>> BeginSetupSignInAsync(string? ticket, CancellationToken cancellationToken = default);

    /// <summary>Registers the passkey of a forced setup and completes the sign-in with it (methods <c>pwd</c>, <c>hwk</c> or <c>swk</c>, <c>mfa</c>).</summary>
    ValueTask<SignInResult> SetupSignInAsync(string? ticket, string? attestationResponseJson, string? name, CancellationToken cancellationToken = default);

    /// <summary>Starts a passwordless sign-in: a discoverable passkey with user verification names the account.</summary>
    ValueTask<SecurityResult<PasskeyCeremony>> BeginPasswordlessAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Signs in with a passkey alone, where the account's contract allows it (<see cref="Accounts.Contract.PasskeySignInAllowed"/>).
    /// User verification is required. The session's methods are <c>hwk</c> or <c>swk</c> and <c>mfa</c>, so it counts
    /// as signed in with a second factor (forced 2FA, <c>secAuthProtection</c>).
    /// </summary>
    ValueTask<SignInResult> PasswordlessSignInAsync(string? state, string? assertionResponseJson, CancellationToken cancellationToken = default);

    /// <summary>Whether the contract allows signing in with a passkey alone (<see langword="false"/> for an unknown contract).</summary>
    ValueTask<bool> IsPasswordlessSignInAllowedAsync(string contractId, CancellationToken cancellationToken = default);

    /// <summary>The contract owner's switch for passwordless sign-in in their contract (off by default). Only the owner may change it.</summary>
    /// <remarks>A sensitive operation: the session must have re-authenticated within the window (<c>reauthentication_required</c>).</remarks>
    ValueTask<SecurityResult> SetPasswordlessSignInAllowedAsync(AuthenticatedSession actingSession, bool allowed, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts re-authenticating <paramref name="session"/> with one of its user's passkeys (user verification required):
    /// the passkey way of <see cref="Reauthentication.IReauthenticationService"/>. The sealed state is bound to the
    /// session. Fails <c>not_authenticated</c> when the session no longer stands, <c>reauthentication_method_unavailable</c>
    /// when the account has no passkey.
    /// </summary>
    ValueTask<SecurityResult<PasskeyCeremony>> BeginReauthenticationAsync(AuthenticatedSession session, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a passkey re-authentication: the assertion must come from one of the session user's passkeys, with user
    /// verification, for the challenge of <paramref name="state"/> (once). Counted under the second-factor lockout like a
    /// sign-in step; on success the session is re-authenticated as by
    /// <see cref="Reauthentication.IReauthenticationService.ReauthenticateAsync"/>. Failures: <c>passkey_ceremony_expired</c>,
    /// <c>passkey_response_malformed</c>, <c>passkey_unknown_credential</c> (not counted), the assertion's own codes,
    /// <c>locked_out</c>, <c>not_authenticated</c>.
    /// </summary>
    ValueTask<SecurityResult<Reauthentication.Reauthenticated>> CompleteReauthenticationAsync(AuthenticatedSession session, string? state, string? assertionResponseJson, CancellationToken cancellationToken = default);
}
