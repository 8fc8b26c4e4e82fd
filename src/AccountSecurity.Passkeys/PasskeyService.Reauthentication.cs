using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Lockout;
using AccountSecurity.Passkeys.Ceremonies;
using AccountSecurity.Passkeys.Verification;
using AccountSecurity.Passwords;
using AccountSecurity.Reauthentication;
using AccountSecurity.Verification;

namespace AccountSecurity.Passkeys;

/// <summary>The passkey way to re-authenticate a session for sensitive operations.</summary>
internal sealed partial class PasskeyService
{
    /// <inheritdoc />
    public async ValueTask<SecurityResult<PasskeyCeremony>> BeginReauthenticationAsync(AuthenticatedSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var user = await StandingUserAsync(session, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return SecurityResult<PasskeyCeremony>.Failed(ReauthenticationGate.SessionEnded());
        }

        if (user.Passkeys.IsDefaultOrEmpty)
        {
            return SecurityResult<PasskeyCeremony>.Failed(NoPasskey());
        }

        var options = _fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [.. user.Passkeys.Select(p => new PublicKeyCredentialDescriptor(Base64UrlText.Decode(p.CredentialId)))],
            UserVerification = UserVerificationRequirement.Required,
        });
        return SecurityResult<PasskeyCeremony>.Success(Started(options, PasskeyCeremonyPurpose.Reauthentication, BindingOf(session)));
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult<Reauthenticated>> CompleteReauthenticationAsync(AuthenticatedSession session, string? state, string? assertionResponseJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var context = SecurityEventContext.For(session);
        var ceremony = PasskeyCeremonyState.Open(_protector, state, PasskeyCeremonyPurpose.Reauthentication, _time.GetUtcNow());
        if (ceremony is null || !string.Equals(ceremony.TicketHash, BindingOf(session), StringComparison.Ordinal))
        {
            return SecurityResult<Reauthenticated>.Failed(Refusal(SecurityErrorCodes.PasskeyCeremonyExpired));
        }

        if (PasskeyResponses.ParseAssertion(assertionResponseJson, _options.MaxResponseLength) is not { } response)
        {
            return SecurityResult<Reauthenticated>.Failed(Refusal(SecurityErrorCodes.PasskeyResponseMalformed));
        }

        var user = await StandingUserAsync(session, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return SecurityResult<Reauthenticated>.Failed(ReauthenticationGate.SessionEnded());
        }

        // As at a passwordless sign-in: nothing is counted until the response could only come from this user's
        // authenticator, so a stranger's credential or a client data made for another ceremony locks nothing.
        if (PasskeyAssertionStrategy.Find(user, response.RawId) is null)
        {
            return SecurityResult<Reauthenticated>.Failed(Refusal(SecurityErrorCodes.PasskeyUnknownCredential));
        }

        if (PasskeyResponses.CheckClientData(response.Response.ClientDataJson, "webauthn.get", _options.Origins, ceremony.ChallengeBytes) is { } clientDataCode)
        {
            return SecurityResult<Reauthenticated>.Failed(Refusal(clientDataCode));
        }

        var strategy = NewStrategy(response, ceremony, UserVerificationRequirement.Required);
        var check = await _pipeline.VerifyAsync(user, strategy, cancellationToken).ConfigureAwait(false);
        if (strategy.CounterRegressed)
        {
            await _events.PublishAsync(SecurityEventType.PasskeyCounterRegressed, user.Id, user.ContractId, cancellationToken, factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
        }

        if (check.IsVerified)
        {
            return await _reauthentication.RecordAsync(session, check.User!, ReauthenticationMethods.Passkey, cancellationToken).ConfigureAwait(false);
        }

        var failure = check switch
        {
            { IsLocked: true } => PasswordVerifier.LockedOut(check.LockedUntil!.Value),
            { Status: FactorStatus.Wrong or FactorStatus.Replayed } when strategy.FailureCode is { } code => SecurityResult.Failed(Refusal(code)),
            { Status: FactorStatus.Replayed } => SecurityResult.Failed(Refusal(SecurityErrorCodes.PasskeyChallengeReplayed)),
            { Status: FactorStatus.Unavailable or FactorStatus.NotFound } => SecurityResult.Failed(Refusal(SecurityErrorCodes.PasskeyUnknownCredential)),
            { Status: FactorStatus.Wrong } => SecurityResult.Failed(Refusal(SecurityErrorCodes.PasskeyResponseInvalid)),
            _ => SecurityResult.Failed(PasswordVerifier.Busy()),
        };
        await _events.PublishAsync(SecurityEventType.ReauthenticationFailed, user.Id, user.ContractId, cancellationToken, outcome: failure.Errors[0].Code, factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
        return SecurityResult<Reauthenticated>.From(failure);
    }

    /// <summary>The session's user while the session stands (<see cref="ReauthenticationGate.StandingAsync"/>); <see langword="null"/> otherwise.</summary>
    private async ValueTask<UserAccount?> StandingUserAsync(AuthenticatedSession session, CancellationToken cancellationToken)
    {
        if (await _gate.StandingAsync(session, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var user = await _users.FindByIdAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        return user is { IsActive: true } ? user : null;
    }

    /// <summary>What binds a re-authentication ceremony to its session: the SHA-256 of the user id and the session id (or the sign-in time of a token-only session).</summary>
    private static string BindingOf(AuthenticatedSession session) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{session.UserId}\n{session.SessionId ?? session.AuthenticatedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}")));

    private static SecurityError NoPasskey() =>
        new(SecurityErrorCodes.ReauthenticationMethodUnavailable, UserMessages.NoPasskeyUsePassword);
}
