using System.Security.Cryptography;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Passkeys.Ceremonies;
using AccountSecurity.Passkeys.Verification;
using AccountSecurity.Passwords;
using AccountSecurity.Reauthentication;
using AccountSecurity.Stores;
using AccountSecurity.Verification;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Passkeys;

/// <summary>The default <see cref="IPasskeyService"/>: registration and the user's list here, the sign-in ceremonies in the other part.</summary>
internal sealed partial class PasskeyService : IPasskeyService
{
    private readonly GuardedUserStore _users;
    private readonly GuardedContractStore _contracts;
    private readonly UserUpdater _updater;
    private readonly ContractUpdater _contractUpdater;
    private readonly FactorVerification _pipeline;
    private readonly PasswordVerifier _passwords;
    private readonly SignInService _signIn;
    private readonly SecurityEventPublisher _events;
    private readonly SignInOutcomes _outcomes;
    private readonly TimeProvider _time;
    private readonly Crypto.ISecretProtector _protector;
    private readonly IFido2 _fido2;
    private readonly PasskeyOptions _options;
    private readonly ReauthenticationGate _gate;
    private readonly ReauthenticationService _reauthentication;

    internal PasskeyService(
        GuardedUserStore users,
        GuardedContractStore contracts,
        UserUpdater updater,
        ContractUpdater contractUpdater,
        FactorVerification pipeline,
        PasswordVerifier passwords,
        SignInService signIn,
        SecurityEventPublisher events,
        TimeProvider time,
        Crypto.ISecretProtector protector,
        IFido2 fido2,
        IOptions<PasskeyOptions> options,
        ReauthenticationGate gate,
        ReauthenticationService reauthentication)
    {
        _gate = gate;
        _reauthentication = reauthentication;
        _users = users;
        _contracts = contracts;
        _updater = updater;
        _contractUpdater = contractUpdater;
        _pipeline = pipeline;
        _passwords = passwords;
        _signIn = signIn;
        _events = events;
        _outcomes = signIn.Outcomes;
        _time = time;
        _protector = protector;
        _fido2 = fido2;
        _options = options.Value;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<PasskeySummary>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        return user is null ? [] : [.. user.Passkeys.Select(Summary)];
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<PasskeyCeremony>> BeginRegistrationAsync(AuthenticatedSession session, string? currentPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var context = SecurityEventContext.For(session);
        var (user, refusal) = currentPassword is null
            ? await FreshSessionUserAsync(session, SensitiveOperation.AddPasskey, cancellationToken).ConfigureAwait(false)
            : await ReauthenticatableAsync(session, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return SecurityResult<PasskeyCeremony>.Failed(refusal);
        }

        if (user!.Passkeys.Length >= _options.MaxPasskeysPerUser)
        {
            return SecurityResult<PasskeyCeremony>.Failed(new SecurityError(SecurityErrorCodes.PasskeyLimitReached, UserMessages.PasskeyLimitReached));
        }

        var (optionsJson, handle) = NewCreationOptions(user);
        if (currentPassword is null)
        {
            var stored = await _updater.UpdateAsync(
                user.Id,
                current => current is not null && CanStartRegistration(current, handle, session.SecurityStamp)
                    ? UserChange.Save(WithPendingRegistration(current, handle, optionsJson), true)
                    : UserChange.Keep(false),
                () => false,
                cancellationToken,
                user).ConfigureAwait(false);
            return stored
                ? SecurityResult<PasskeyCeremony>.Success(new PasskeyCeremony(optionsJson, null))
                : SecurityResult<PasskeyCeremony>.Failed(SessionEnded());
        }

        var check = await _passwords.CheckAsync(user, currentPassword, SecurityErrorCodes.PasswordWrongCurrent, cancellationToken,
            verified => CanStartRegistration(verified, handle, session.SecurityStamp) ? WithPendingRegistration(verified, handle, optionsJson) : verified).ConfigureAwait(false);
        if (!check.Succeeded)
        {
            return SecurityResult<PasskeyCeremony>.From(check.Result);
        }

        return check.User!.PendingPasskeyRegistration?.OptionsJson == optionsJson
            ? SecurityResult<PasskeyCeremony>.Success(new PasskeyCeremony(optionsJson, null))
            : SecurityResult<PasskeyCeremony>.Failed(SessionEnded());
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<PasskeyChanged>> CompleteRegistrationAsync(AuthenticatedSession session, string? attestationResponseJson, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!IsName(name))
        {
            return SecurityResult<PasskeyChanged>.Failed(InvalidName());
        }

        var user = await SessionUserAsync(session, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return SecurityResult<PasskeyChanged>.Failed(SessionEnded());
        }

        var (credential, code) = await VerifyAttestationAsync(user, attestationResponseJson, name!, cancellationToken).ConfigureAwait(false);
        if (credential is null)
        {
            await _events.PublishAsync(SecurityEventType.PasskeyRegistrationFailed, user.Id, user.ContractId, cancellationToken, outcome: code).ConfigureAwait(false);
            return SecurityResult<PasskeyChanged>.Failed(Refusal(code!));
        }

        var pending = user.PendingPasskeyRegistration!;
        var written = await _updater.UpdateAsync(
            user.Id,
            current => current is not null && current.IsActive && current.SecurityStamp == session.SecurityStamp
                ? Register(current, pending, credential)
                : UserChange.Keep<(UserAccount?, string?)>((null, SecurityErrorCodes.PasskeyCeremonyExpired)),
            () => (null, SecurityErrorCodes.ConcurrencyConflict),
            cancellationToken,
            user,
            whenDuplicate: () => (null, SecurityErrorCodes.PasskeyAlreadyRegistered)).ConfigureAwait(false); // another account holds the credential
        if (written.Item1 is not { } stored)
        {
            return SecurityResult<PasskeyChanged>.Failed(Refusal(written.Item2!));
        }

        await _events.PublishAsync(SecurityEventType.PasskeyAdded, user.Id, user.ContractId, cancellationToken, outcome: credential.IsBackupEligible ? AuthenticationMethods.SoftwareKey : AuthenticationMethods.HardwareKey).ConfigureAwait(false);
        return SecurityResult<PasskeyChanged>.Success(new PasskeyChanged(stored.SecurityStamp, Summary(credential)));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> RenameAsync(AuthenticatedSession session, string? credentialId, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!IsName(name))
        {
            return SecurityResult.Failed(InvalidName());
        }

        var user = await SessionUserAsync(session, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return SecurityResult.Failed(SessionEnded());
        }

        return await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                var index = current is null || current.SecurityStamp != session.SecurityStamp ? -1 : IndexOf(current, credentialId);
                return index < 0
                    ? UserChange.Keep(SecurityResult.Failed(UnknownCredential()))
                    : UserChange.Save(current! with { Passkeys = current.Passkeys.SetItem(index, current.Passkeys[index] with { Name = name!.Trim() }) }, SecurityResult.Success());
            },
            () => SecurityResult.Failed(new SecurityError(SecurityErrorCodes.ConcurrencyConflict, UserMessages.AccountBusyElsewhere)),
            cancellationToken,
            user).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<PasskeyChanged>> RemoveAsync(AuthenticatedSession session, string? credentialId, string? currentPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var context = SecurityEventContext.For(session);
        var (user, refusal) = currentPassword is null
            ? await FreshSessionUserAsync(session, SensitiveOperation.RemovePasskey, cancellationToken).ConfigureAwait(false)
            : await ReauthenticatableAsync(session, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return SecurityResult<PasskeyChanged>.Failed(refusal);
        }

        var index = IndexOf(user!, credentialId);
        if (index < 0)
        {
            return SecurityResult<PasskeyChanged>.Failed(UnknownCredential());
        }

        var removed = user!.Passkeys[index];
        UserAccount Without(UserAccount u) => u with { Passkeys = u.Passkeys.RemoveAll(p => p.CredentialId == removed.CredentialId) };
        if (!SecondFactors.ForcedStillSatisfied(user, Without))
        {
            return SecurityResult<PasskeyChanged>.Failed(LastSecondFactor());
        }

        var newStamp = SecurityStamp.New();
        UserAccount Removed(UserAccount verified) =>
            verified.IsActive && verified.SecurityStamp == session.SecurityStamp && IndexOf(verified, credentialId) >= 0 && SecondFactors.ForcedStillSatisfied(verified, Without)
                ? Without(verified) with { SecurityStamp = newStamp, PendingSignIns = [] }
                : verified;
        UserAccount after;
        if (currentPassword is null)
        {
            after = await _updater.UpdateAsync(
                user.Id,
                current => current is null ? UserChange.Keep(user) : Removed(current) is var next && next.SecurityStamp == newStamp ? UserChange.Save(next, next) : UserChange.Keep(current),
                () => user,
                cancellationToken,
                user).ConfigureAwait(false);
        }
        else
        {
            var check = await _passwords.CheckAsync(user, currentPassword, SecurityErrorCodes.PasswordWrongCurrent, cancellationToken, Removed).ConfigureAwait(false);
            if (!check.Succeeded)
            {
                return SecurityResult<PasskeyChanged>.From(check.Result);
            }

            after = check.User!;
        }

        if (after.SecurityStamp != newStamp)
        {
            // Decided on the state written: forced meanwhile, removed elsewhere, or the session ended.
            return SecurityResult<PasskeyChanged>.Failed(!SecondFactors.ForcedStillSatisfied(after, Without) ? LastSecondFactor() : SessionEnded());
        }

        await _events.PublishAsync(SecurityEventType.PasskeyRemoved, user.Id, user.ContractId, cancellationToken).ConfigureAwait(false);
        if (!SecondFactors.Any(after))
        {
            // The last second factor went with it: for the audit trail this is 2FA switched off, as disabling TOTP is.
            await _events.PublishAsync(SecurityEventType.TwoFactorDisabled, user.Id, user.ContractId, cancellationToken).ConfigureAwait(false);
        }

        return SecurityResult<PasskeyChanged>.Success(new PasskeyChanged(newStamp, Summary(removed)));
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsPasswordlessSignInAllowedAsync(string contractId, CancellationToken cancellationToken = default) =>
        await _contracts.FindByIdAsync(contractId, cancellationToken).ConfigureAwait(false) is { PasskeySignInAllowed: true };

    /// <inheritdoc />
    public async ValueTask<SecurityResult> SetPasswordlessSignInAllowedAsync(AuthenticatedSession actingSession, bool allowed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingSession);
        using var context = SecurityEventContext.For(actingSession);
        var actor = await _users.FindByIdAsync(actingSession.UserId, cancellationToken).ConfigureAwait(false);
        if (actor is not { IsActive: true, Role: UserRole.ContractOwner })
        {
            return SecurityResult.Failed(NotOwner());
        }

        if (await _gate.RequireAsync(actingSession, SensitiveOperation.ChangePasswordlessSignInPolicy, cancellationToken).ConfigureAwait(false) is { } stale)
        {
            return SecurityResult.Failed(stale);
        }

        var result = await _contractUpdater.UpdateAsync(
            actor.ContractId,
            contract => contract is null || contract.OwnerUserId != actor.Id
                ? ContractChange.Keep(SecurityResult.Failed(NotOwner()))
                : contract.PasskeySignInAllowed == allowed
                    ? ContractChange.Keep(SecurityResult.Success())
                    : ContractChange.Save(contract with { PasskeySignInAllowed = allowed }, SecurityResult.Success()),
            () => SecurityResult.Failed(new SecurityError(SecurityErrorCodes.ConcurrencyConflict, UserMessages.ContractBusyElsewhere)),
            cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await _events.PublishAsync(SecurityEventType.PasskeySignInPolicyChanged, actor.Id, actor.ContractId, cancellationToken, outcome: allowed ? "allowed" : "disallowed", actorId: actor.Id).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// The session's user, when the session still stands and may change the account's factors: a user who already has a
    /// second factor must have signed in with one, so a stolen password alone never adds or removes a passkey.
    /// </summary>
    private async ValueTask<(UserAccount? User, SecurityError? Refusal)> ReauthenticatableAsync(AuthenticatedSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var user = await SessionUserAsync(session, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return (null, SessionEnded());
        }

        return SecondFactors.Any(user) && !session.UsedSecondFactor
            ? (null, new SecurityError(SecurityErrorCodes.PasskeySecondFactorSessionRequired, UserMessages.SecondFactorFirst))
            : (user, null);
    }

    /// <summary>
    /// The session's user, when the session still stands and re-authenticated within the window for
    /// <paramref name="operation"/> (<see cref="ReauthenticationGate"/>): the proof without a password inline.
    /// </summary>
    private async ValueTask<(UserAccount? User, SecurityError? Refusal)> FreshSessionUserAsync(AuthenticatedSession session, SensitiveOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var user = await SessionUserAsync(session, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return (null, SessionEnded());
        }

        return await _gate.RequireAsync(session, operation, cancellationToken).ConfigureAwait(false) is { } refusal ? (null, refusal) : (user, null);
    }

    /// <summary>The session's user when the session is still valid (active, same contract, same stamp); one store read.</summary>
    private async ValueTask<UserAccount?> SessionUserAsync(AuthenticatedSession session, CancellationToken cancellationToken)
    {
        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        return session.IsCurrentFor(user) ? user : null;
    }

    /// <summary>
    /// The creation options for <paramref name="user"/>: their (new or existing) user handle, no personal data in it;
    /// their passkeys excluded; a discoverable credential and user verification preferred; attestation <c>none</c>
    /// (we trust no authenticator model more than another, so we ask for no attestation to check).
    /// </summary>
    private (string OptionsJson, string Handle) NewCreationOptions(UserAccount user)
    {
        var handle = user.PasskeyUserHandle ?? Base64UrlText.Encode(RandomNumberGenerator.GetBytes(32));
        var options = _fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = Base64UrlText.Decode(handle), Name = user.Email, DisplayName = user.Email },
            ExcludeCredentials = [.. user.Passkeys.Select(p => new PublicKeyCredentialDescriptor(Base64UrlText.Decode(p.CredentialId)))],
            AuthenticatorSelection = new AuthenticatorSelection { ResidentKey = ResidentKeyRequirement.Preferred, UserVerification = UserVerificationRequirement.Preferred },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        options.Timeout = (ulong)_options.CeremonyLifetime.TotalMilliseconds;
        return (options.ToJson(), handle);
    }

    private static bool CanStartRegistration(UserAccount verified, string handle, string sessionStamp) =>
        verified.SecurityStamp == sessionStamp && (verified.PasskeyUserHandle is null || verified.PasskeyUserHandle == handle);

    private UserAccount WithPendingRegistration(UserAccount user, string handle, string optionsJson) =>
        user with { PasskeyUserHandle = handle, PendingPasskeyRegistration = new PendingPasskeyCeremony(optionsJson, _time.GetUtcNow() + _options.CeremonyLifetime) };

    /// <summary>
    /// Verifies an attestation against <paramref name="user"/>'s waiting registration. Returns the credential to store,
    /// or the refusal's code; stores nothing.
    /// </summary>
    private async ValueTask<(PasskeyCredential? Credential, string? Code)> VerifyAttestationAsync(UserAccount user, string? json, string name, CancellationToken cancellationToken)
    {
        if (user.PendingPasskeyRegistration is not { } pending || pending.ExpiresAt <= _time.GetUtcNow())
        {
            return (null, SecurityErrorCodes.PasskeyCeremonyExpired);
        }

        if (PasskeyResponses.ParseAttestation(json, _options.MaxResponseLength) is not { } response)
        {
            return (null, SecurityErrorCodes.PasskeyResponseMalformed);
        }

        var options = CredentialCreateOptions.FromJson(pending.OptionsJson);
        if (PasskeyResponses.CheckClientData(response.Response.ClientDataJson, "webauthn.create", _options.Origins, options.Challenge) is { } clientDataCode)
        {
            return (null, clientDataCode);
        }

        RegisteredPublicKeyCredential registered;
        try
        {
            registered = await _fido2.MakeNewCredentialAsync(
                new MakeNewCredentialParams
                {
                    AttestationResponse = response,
                    OriginalOptions = options,
                    IsCredentialIdUniqueToUserCallback = (p, _) => Task.FromResult(IndexOf(user, Base64UrlText.Encode(p.CredentialId)) < 0),
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Fido2VerificationException exception)
        {
            return (null, PasskeyResponses.CodeOf(exception));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Hostile CBOR or key bytes inside the attestation: Fido2's parser refuses them in its own ways.
            return (null, SecurityErrorCodes.PasskeyResponseInvalid);
        }

        return (new PasskeyCredential
        {
            CredentialId = Base64UrlText.Encode(registered.Id),
            PublicKey = Base64UrlText.Encode(registered.PublicKey),
            SignatureCounter = registered.SignCount,
            Transports = [.. (registered.Transports ?? []).Select(TransportName)],
            Aaguid = registered.AaGuid,
            IsBackupEligible = registered.IsBackupEligible,
            IsBackedUp = registered.IsBackedUp,
            Name = name.Trim(),
            CreatedAt = _time.GetUtcNow(),
        }, null);
    }

    /// <summary>
    /// The registration write on fresh state: the same ceremony still waits (so a challenge registers once, on any
    /// instance), the credential is new to the user, and the limit holds. The stamp changes: other sessions end.
    /// </summary>
    private RecordChange<UserAccount, (UserAccount?, string?)> Register(UserAccount current, PendingPasskeyCeremony pending, PasskeyCredential credential, Func<UserAccount, UserAccount>? also = null)
    {
        if (current.PendingPasskeyRegistration != pending || pending.ExpiresAt <= _time.GetUtcNow())
        {
            return UserChange.Keep<(UserAccount?, string?)>((null, SecurityErrorCodes.PasskeyCeremonyExpired));
        }

        if (IndexOf(current, credential.CredentialId) >= 0)
        {
            return UserChange.Keep<(UserAccount?, string?)>((null, SecurityErrorCodes.PasskeyAlreadyRegistered));
        }

        if (current.Passkeys.Length >= _options.MaxPasskeysPerUser)
        {
            return UserChange.Keep<(UserAccount?, string?)>((null, SecurityErrorCodes.PasskeyLimitReached));
        }

        var next = current with { Passkeys = current.Passkeys.Add(credential), PendingPasskeyRegistration = null, SecurityStamp = SecurityStamp.New() };
        next = also is null ? next : also(next);
        return UserChange.Save<(UserAccount?, string?)>(next, (next with { Version = current.Version + 1 }, null));
    }

    private static int IndexOf(UserAccount user, string? credentialId) => PasskeyAssertionStrategy.IndexOf(user, credentialId);

    private bool IsName(string? name) => InputText.IsName(name?.Trim(), _options.MaxNameLength);

    private static PasskeySummary Summary(PasskeyCredential p) => new(p.CredentialId, p.Name, p.IsBackupEligible, p.CreatedAt, p.LastUsedAt);

    private static string TransportName(AuthenticatorTransport transport) => transport switch
    {
        AuthenticatorTransport.Usb => "usb",
        AuthenticatorTransport.Nfc => "nfc",
        AuthenticatorTransport.Ble => "ble",
        AuthenticatorTransport.SmartCard => "smart-card",
        AuthenticatorTransport.Hybrid => "hybrid",
        AuthenticatorTransport.Internal => "internal",
        _ => "unknown",
    };

    private static SecurityError Refusal(string code) => new(code, code switch
    {
        SecurityErrorCodes.PasskeyCeremonyExpired => UserMessages.PasskeyRegistrationExpired,
        SecurityErrorCodes.PasskeyResponseMalformed => UserMessages.PasskeyResponseMalformed,
        SecurityErrorCodes.PasskeyOriginMismatch => UserMessages.PasskeyForAnotherSite,
        SecurityErrorCodes.PasskeyRelyingPartyMismatch => UserMessages.PasskeyForAnotherSite,
        SecurityErrorCodes.PasskeyChallengeMismatch => UserMessages.PasskeyChallengeMismatch,
        SecurityErrorCodes.PasskeyUserVerificationRequired => UserMessages.PasskeyUserVerificationRequired,
        SecurityErrorCodes.PasskeyAlreadyRegistered => UserMessages.PasskeyAlreadyRegistered,
        SecurityErrorCodes.PasskeyLimitReached => UserMessages.PasskeyLimitReached,
        SecurityErrorCodes.ConcurrencyConflict => UserMessages.AccountBusyElsewhere,
        _ => UserMessages.PasskeyNotVerified,
    });

    private static SecurityError SessionEnded() => new(SecurityErrorCodes.NotAuthorized, UserMessages.SessionEnded);

    private static SecurityError InvalidName() => new(SecurityErrorCodes.PasskeyInvalidName, UserMessages.PasskeyNameInvalid);

    private static SecurityError UnknownCredential() => new(SecurityErrorCodes.PasskeyUnknownCredential, UserMessages.PasskeyNotYours);

    private static SecurityError LastSecondFactor() => new(SecurityErrorCodes.PasskeyLastSecondFactor, UserMessages.KeepOneSecondFactor);

    private static SecurityError NotOwner() => new(SecurityErrorCodes.NotAuthorized, UserMessages.OwnerOnly);
}
