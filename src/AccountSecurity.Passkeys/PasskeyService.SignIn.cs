using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Lockout;
using AccountSecurity.Passkeys.Ceremonies;
using AccountSecurity.Passkeys.Verification;
using AccountSecurity.Stores;
using AccountSecurity.Verification;

namespace AccountSecurity.Passkeys;

/// <summary>The sign-in ceremonies: a passkey as the second step, as the forced setup, and alone (passwordless).</summary>
internal sealed partial class PasskeyService
{
    /// <inheritdoc />
    public async ValueTask<SecurityResult<PasskeyCeremony>> BeginSecondFactorAsync(string? ticket, CancellationToken cancellationToken = default)
    {
        if (!_outcomes.TryParseTicket(ticket, out var userId, out var ticketHash))
        {
            return SecurityResult<PasskeyCeremony>.Failed(ExpiredSignIn());
        }

        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || user.Passkeys.IsDefaultOrEmpty || !SignInTickets.Matches(user, ticketHash, SignInTicketPurpose.SecondFactor, _time.GetUtcNow()))
        {
            return SecurityResult<PasskeyCeremony>.Failed(ExpiredSignIn());
        }

        var options = _fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [.. user.Passkeys.Select(p => new PublicKeyCredentialDescriptor(Base64UrlText.Decode(p.CredentialId)))],
            UserVerification = UserVerificationRequirement.Preferred,
        });
        return SecurityResult<PasskeyCeremony>.Success(Started(options, PasskeyCeremonyPurpose.SecondFactor, ticketHash));
    }

    /// <inheritdoc />
    public async ValueTask<SignInResult> SecondFactorSignInAsync(string? ticket, string? state, string? assertionResponseJson, CancellationToken cancellationToken = default)
    {
        var ceremony = PasskeyCeremonyState.Open(_protector, state, PasskeyCeremonyPurpose.SecondFactor, _time.GetUtcNow());
        if (ceremony is null || !SignInTickets.TryParse(ticket, out _, out var ticketHash) || !string.Equals(ceremony.TicketHash, ticketHash, StringComparison.Ordinal))
        {
            return SignInOutcomes.Failed(SecurityErrorCodes.PasskeyCeremonyExpired);
        }

        if (PasskeyResponses.ParseAssertion(assertionResponseJson, _options.MaxResponseLength) is not { } response)
        {
            return SignInOutcomes.Failed(SecurityErrorCodes.PasskeyResponseMalformed);
        }

        return await _signIn.ExternalTicketStepAsync(SpanNames.SignInPasskey, ticket, SignInTicketPurpose.SecondFactor, AuthenticationMethods.HardwareKey, cancellationToken, async (user, step) =>
        {
            var strategy = NewStrategy(response, ceremony, UserVerificationRequirement.Preferred, step.Device);
            var check = await _pipeline.VerifyAsync(user, strategy, cancellationToken, step.Live, step.Spend).ConfigureAwait(false);
            return new TicketStepOutcome(check, Method: MethodOf(user, response), Answer: await RefinedFailureAsync(user, check, strategy, cancellationToken).ConfigureAwait(false));
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<PasskeyCeremony>> BeginSetupSignInAsync(string? ticket, CancellationToken cancellationToken = default)
    {
        if (!_outcomes.TryParseTicket(ticket, out var userId, out var ticketHash))
        {
            return SecurityResult<PasskeyCeremony>.Failed(ExpiredSignIn());
        }

        bool Live(UserAccount u) => SignInTickets.Matches(u, ticketHash, SignInTicketPurpose.TwoFactorSetup, _time.GetUtcNow()) && !SecondFactors.Any(u);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !user.IsActive || !Live(user))
        {
            return SecurityResult<PasskeyCeremony>.Failed(ExpiredSignIn());
        }

        var (optionsJson, handle) = NewCreationOptions(user);
        var stored = await _updater.UpdateAsync(
            user.Id,
            current => current is not null && Live(current) && (current.PasskeyUserHandle is null || current.PasskeyUserHandle == handle)
                ? UserChange.Save(WithPendingRegistration(current, handle, optionsJson), true)
                : UserChange.Keep(false),
            () => false,
            cancellationToken,
            user).ConfigureAwait(false);
        return stored
            ? SecurityResult<PasskeyCeremony>.Success(new PasskeyCeremony(optionsJson, null))
            : SecurityResult<PasskeyCeremony>.Failed(ExpiredSignIn());
    }

    /// <inheritdoc />
    public async ValueTask<SignInResult> SetupSignInAsync(string? ticket, string? attestationResponseJson, string? name, CancellationToken cancellationToken = default)
    {
        using var span = AccountSecurityActivitySource.Start(SpanNames.SignInPasskeySetup);
        return span.Outcome(await SetupSignInCoreAsync(ticket, attestationResponseJson, name, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SignInResult> SetupSignInCoreAsync(string? ticket, string? attestationResponseJson, string? name, CancellationToken cancellationToken)
    {
        if (!_outcomes.TryParseTicket(ticket, out var userId, out var ticketHash))
        {
            return SignInOutcomes.Failed(SecurityErrorCodes.InvalidTicket);
        }

        bool Live(UserAccount u) => u.IsActive && SignInTickets.Matches(u, ticketHash, SignInTicketPurpose.TwoFactorSetup, _time.GetUtcNow()) && !SecondFactors.Any(u);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !Live(user))
        {
            return await _outcomes.FailedAsync(user, SecurityErrorCodes.InvalidTicket, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        if (!IsName(name))
        {
            return SignInOutcomes.Failed(SecurityErrorCodes.PasskeyInvalidName);
        }

        var (credential, code) = await VerifyAttestationAsync(user, attestationResponseJson, name!, cancellationToken).ConfigureAwait(false);
        if (credential is null)
        {
            await _events.PublishAsync(SecurityEventType.PasskeyRegistrationFailed, user.Id, user.ContractId, cancellationToken, outcome: code).ConfigureAwait(false);
            return await _outcomes.FailedAsync(user, code!, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        var pending = user.PendingPasskeyRegistration!;
        var (stored, refusal) = await _updater.UpdateAsync(
            user.Id,
            current => current is not null && Live(current)
                ? Register(current, pending, credential, u => SignInTickets.Spend(u, ticketHash))
                : UserChange.Keep<(UserAccount?, string?)>((null, SecurityErrorCodes.InvalidTicket)),
            () => (null, SecurityErrorCodes.ConcurrencyConflict),
            cancellationToken,
            user,
            whenDuplicate: () => (null, SecurityErrorCodes.PasskeyAlreadyRegistered)).ConfigureAwait(false); // another account holds the credential
        if (stored is null)
        {
            return await _outcomes.FailedAsync(user, refusal!, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        await _events.PublishAsync(SecurityEventType.PasskeyAdded, user.Id, user.ContractId, cancellationToken).ConfigureAwait(false);
        var device = DeviceClaim.FromTicket(SignInTickets.Find(user, ticketHash, SignInTicketPurpose.TwoFactorSetup, _time.GetUtcNow()));
        return await _outcomes.CompletedAsync(stored, [AuthenticationMethods.Password, Method(credential), AuthenticationMethods.MultiFactor], cancellationToken, device: device).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<SecurityResult<PasskeyCeremony>> BeginPasswordlessAsync(CancellationToken cancellationToken = default)
    {
        // No account is known yet: the authenticator offers its discoverable credentials and names the account.
        var options = _fido2.GetAssertionOptions(new GetAssertionOptionsParams { AllowedCredentials = [], UserVerification = UserVerificationRequirement.Required });
        return ValueTask.FromResult(SecurityResult<PasskeyCeremony>.Success(Started(options, PasskeyCeremonyPurpose.Passwordless, ticketHash: null)));
    }

    /// <inheritdoc />
    public async ValueTask<SignInResult> PasswordlessSignInAsync(string? state, string? assertionResponseJson, CancellationToken cancellationToken = default)
    {
        using var span = AccountSecurityActivitySource.Start(SpanNames.SignInPasswordless);
        return span.Outcome(await PasswordlessSignInCoreAsync(state, assertionResponseJson, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<SignInResult> PasswordlessSignInCoreAsync(string? state, string? assertionResponseJson, CancellationToken cancellationToken)
    {
        var ceremony = PasskeyCeremonyState.Open(_protector, state, PasskeyCeremonyPurpose.Passwordless, _time.GetUtcNow());
        if (ceremony is null)
        {
            return SignInOutcomes.Failed(SecurityErrorCodes.PasskeyCeremonyExpired);
        }

        if (PasskeyResponses.ParseAssertion(assertionResponseJson, _options.MaxResponseLength) is not { } response)
        {
            return SignInOutcomes.Failed(SecurityErrorCodes.PasskeyResponseMalformed);
        }

        // The account is the one whose user handle the authenticator returned; a credential without one is not discoverable.
        var user = response.Response.UserHandle is { Length: > 0 } handle
            ? await _users.FindByPasskeyUserHandleAsync(Base64UrlText.Encode(handle), cancellationToken).ConfigureAwait(false)
            : null;
        if (user is not { IsActive: true })
        {
            return await _outcomes.FailedAsync(null, SecurityErrorCodes.PasskeyUnknownCredential, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        // Nothing is counted until the response could only come from this user's authenticator: the user handle alone
        // (no signature needed) must never let anyone lock the account's second factor. A credential the user does not
        // have, or a client data made for another ceremony, is refused uncounted; only a failed signature (or counter,
        // or user verification) of one of the user's own credentials is a counted failure.
        if (PasskeyAssertionStrategy.Find(user, response.RawId) is null)
        {
            return await _outcomes.FailedAsync(null, SecurityErrorCodes.PasskeyUnknownCredential, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        if (PasskeyResponses.CheckClientData(response.Response.ClientDataJson, "webauthn.get", _options.Origins, ceremony.ChallengeBytes) is { } clientDataCode)
        {
            return await _outcomes.FailedAsync(user, clientDataCode, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        // After the credential check, so the answer does not tell whether a user handle exists to someone without one of its credentials.
        var contract = await _contracts.FindByIdAsync(user.ContractId, cancellationToken).ConfigureAwait(false);
        if (contract is not { PasskeySignInAllowed: true })
        {
            return await _outcomes.FailedAsync(user, SecurityErrorCodes.PasskeySignInNotAllowed, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        }

        var strategy = NewStrategy(response, ceremony, UserVerificationRequirement.Required);
        var check = await _pipeline.VerifyAsync(user, strategy, cancellationToken).ConfigureAwait(false);
        if (await RefinedFailureAsync(user, check, strategy, cancellationToken).ConfigureAwait(false) is { } refined)
        {
            return refined;
        }

        return check switch
        {
            // A user-verified passkey is itself two factors (the device and the PIN or biometrics that unlock it): mfa.
            { IsVerified: true } => await _outcomes.CompletedAsync(check.User!, [MethodOf(user, response), AuthenticationMethods.MultiFactor], cancellationToken, rememberDevice: false).ConfigureAwait(false),
            { IsLocked: true } => await _outcomes.LockedOutAsync(user, check.LockedUntil, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false),
            { Status: FactorStatus.Unavailable or FactorStatus.NotFound } => await _outcomes.FailedAsync(user, SecurityErrorCodes.PasskeyUnknownCredential, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false),
            { Status: FactorStatus.Replayed } => await _outcomes.FailedAsync(user, SecurityErrorCodes.PasskeyChallengeReplayed, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false),
            _ => await _outcomes.FailedAsync(user, SecurityErrorCodes.ConcurrencyConflict, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false),
        };
    }

    private PasskeyAssertionStrategy NewStrategy(AuthenticatorAssertionRawResponse response, PasskeyCeremonyState ceremony, UserVerificationRequirement userVerification, DeviceClaim? device = null) =>
        new(_fido2, _options, response, ceremony, userVerification, _time.GetUtcNow(), _events) { Device = device };

    /// <summary>
    /// A failed assertion answered with its own stable code (origin, RP id, challenge, counter, user verification, …)
    /// instead of the generic <c>invalid_code</c>, with the same failure event; a counter regression also raises
    /// <see cref="SecurityEventType.PasskeyCounterRegressed"/>. <see langword="null"/> when the generic mapping applies
    /// (success, a lock, the store busy).
    /// </summary>
    private async ValueTask<SignInResult?> RefinedFailureAsync(UserAccount user, FactorCheck check, PasskeyAssertionStrategy strategy, CancellationToken cancellationToken)
    {
        if (strategy.CounterRegressed)
        {
            await _events.PublishAsync(SecurityEventType.PasskeyCounterRegressed, user.Id, user.ContractId, cancellationToken, factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
        }

        return check switch
        {
            { IsLocked: true } => null,
            { Status: FactorStatus.Wrong or FactorStatus.Replayed } when strategy.FailureCode is { } code =>
                await _outcomes.FailedAsync(user, code, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false),
            _ => null,
        };
    }

    private PasskeyCeremony Started(AssertionOptions options, PasskeyCeremonyPurpose purpose, string? ticketHash)
    {
        options.Timeout = (ulong)_options.CeremonyLifetime.TotalMilliseconds;
        var state = new PasskeyCeremonyState(purpose, Base64UrlText.Encode(options.Challenge), _time.GetUtcNow() + _options.CeremonyLifetime, ticketHash);
        return new PasskeyCeremony(options.ToJson(), state.Seal(_protector));
    }

    private static string MethodOf(UserAccount user, AuthenticatorAssertionRawResponse response) =>
        PasskeyAssertionStrategy.Find(user, response.RawId) is { } credential ? Method(credential) : AuthenticationMethods.HardwareKey;

    /// <summary>RFC 8176: a synced passkey is a software-secured key (<c>swk</c>), a device-bound one hardware-secured (<c>hwk</c>).</summary>
    private static string Method(PasskeyCredential credential) =>
        credential.IsBackupEligible ? AuthenticationMethods.SoftwareKey : AuthenticationMethods.HardwareKey;

    private static SecurityError ExpiredSignIn() => new(SecurityErrorCodes.InvalidTicket, UserMessages.SignInExpired);
}
