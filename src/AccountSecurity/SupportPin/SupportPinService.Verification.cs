using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.Stores;

namespace AccountSecurity.SupportPin;

/// <summary>Verification by support staff: count first, compare once, answer an unknown account as a wrong PIN.</summary>
public sealed partial class SupportPinService
{
    /// <inheritdoc />
    public ValueTask<SupportPinVerificationResult> VerifyByEmailAsync(string? agentId, string? email, string? pin, CancellationToken cancellationToken = default) =>
        VerifyAsync(agentId, email, byEmail: true, pin, cancellationToken);

    /// <inheritdoc />
    public ValueTask<SupportPinVerificationResult> VerifyByUserIdAsync(string? agentId, string? userId, string? pin, CancellationToken cancellationToken = default) =>
        VerifyAsync(agentId, userId, byEmail: false, pin, cancellationToken);

    private async ValueTask<SupportPinVerificationResult> VerifyAsync(string? agentId, string? account, bool byEmail, string? pin, CancellationToken cancellationToken)
    {
        if (!InputText.IsId(agentId))
        {
            // The id is not echoed anywhere: it is malformed, perhaps huge, perhaps a PIN typed into the wrong field.
            return await RefusedInputAsync(null, null, new SecurityError(SupportPinErrorCodes.AgentInvalid, "Identify the support agent (an id of at most 128 characters)."), cancellationToken).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(account))
        {
            return await RefusedInputAsync(agentId, null, new SecurityError(SupportPinErrorCodes.AccountRequired, "Name the caller's account by e-mail address or user id."), cancellationToken).ConfigureAwait(false);
        }

        // Asked before the account is looked up: who is no support agent at all gets the same answer for every account.
        if (!await _agents.IsSupportAgentAsync(agentId, cancellationToken).ConfigureAwait(false))
        {
            Log.SupportPinVerificationRefusedInput(_logger, agentId, SupportPinErrorCodes.AgentNotAuthorized);
            await RefusedAsync(null, agentId, SupportPinErrorCodes.AgentNotAuthorized, cancellationToken).ConfigureAwait(false);
            return SupportPinVerificationResult.AgentNotAuthorized();
        }

        // Identifiers no account can have are looked up nowhere, and answered below as an unknown account.
        var user = (byEmail ? EmailAddress.IsPlausible(account) : InputText.IsId(account))
            ? await (byEmail ? _users.FindByEmailAsync(account, cancellationToken) : _users.FindByIdAsync(account, cancellationToken)).ConfigureAwait(false)
            : null;

        if (SupportPinRules.ValidateForVerification(pin) is { } pinError)
        {
            return await RefusedInputAsync(agentId, user, pinError, cancellationToken).ConfigureAwait(false);
        }

        if (user is null)
        {
            return await UnknownAccountAsync(agentId, pin!, cancellationToken).ConfigureAwait(false);
        }

        // A deactivated account, or one outside this agent's reach, is answered as an unknown account (same answer,
        // same work) and counts nothing: otherwise anyone could lock the real user's support call, or learn who exists.
        if (!user.IsActive)
        {
            return await UnknownAccountAsync(agentId, pin!, cancellationToken, user, SecurityErrorCodes.UserInactive).ConfigureAwait(false);
        }

        if (!await _agents.MayVerifyAsync(agentId, new SupportPinTarget(user.Id, user.ContractId, user.Role), cancellationToken).ConfigureAwait(false))
        {
            Log.SupportPinVerificationRefusedInput(_logger, agentId, SecurityErrorCodes.NotAuthorized);
            _hasher.VerifyDummy(pin!);
            await RefusedAsync(user, agentId, SecurityErrorCodes.NotAuthorized, cancellationToken).ConfigureAwait(false);
            return SupportPinVerificationResult.WrongPin();
        }

        if (user.SupportPinHash is null)
        {
            await VerificationFailedAsync(user, agentId, SupportPinErrorCodes.NotSet, cancellationToken).ConfigureAwait(false);
            return SupportPinVerificationResult.NoPinSet();
        }

        // Count the attempt before comparing: this is what bounds the comparisons under any number of racing guesses.
        var reservation = await _gate.ReserveAsync(user.Id, AuthenticationFactor.SupportPin, cancellationToken, user).ConfigureAwait(false);
        switch (reservation.Status)
        {
            case ReservationStatus.LockedOut:
                await VerificationFailedAsync(user, agentId, SecurityErrorCodes.LockedOut, cancellationToken).ConfigureAwait(false);
                return SupportPinVerificationResult.LockedOut(reservation.LockedUntil!.Value);
            case ReservationStatus.Busy:
                await VerificationFailedAsync(user, agentId, SecurityErrorCodes.ConcurrencyConflict, cancellationToken).ConfigureAwait(false);
                return SupportPinVerificationResult.Busy();
            case ReservationStatus.UserNotFound:
                return await UnknownAccountAsync(agentId, pin!, cancellationToken).ConfigureAwait(false);
        }

        var reserved = reservation.User!;
        var check = reserved.SupportPinHash is null ? SupportPinHashCheck.Failed : _hasher.Verify(reserved.SupportPinHash, pin!);
        if (check == SupportPinHashCheck.Malformed)
        {
            Log.MalformedSupportPinHash(_logger, reserved.Id);
        }

        if (check is not (SupportPinHashCheck.Success or SupportPinHashCheck.SuccessRehashNeeded))
        {
            var lockedUntil = await _gate.FailedAsync(reservation, AuthenticationFactor.SupportPin, cancellationToken, agentId).ConfigureAwait(false);
            await VerificationFailedAsync(user, agentId, SupportPinErrorCodes.Wrong, cancellationToken).ConfigureAwait(false);
            return SupportPinVerificationResult.WrongPin(lockedUntil);
        }

        string? upgraded = check == SupportPinHashCheck.SuccessRehashNeeded ? _hasher.Hash(pin!) : null;
        var verifiedHash = reserved.SupportPinHash;
        var result = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                // The PIN changed or vanished after we compared (what was verified is no longer the PIN), or the
                // account was deactivated meanwhile: no verification for it.
                if (current is null || !current.IsActive || current.SupportPinHash != verifiedHash)
                {
                    return UserChange<SupportPinVerificationResult>.Keep(SupportPinVerificationResult.WrongPin());
                }

                var next = FactorAttemptGate.Cleared(current, AuthenticationFactor.SupportPin);
                if (upgraded is not null)
                {
                    next = next with { SupportPinHash = upgraded };
                }

                return UserChange<SupportPinVerificationResult>.Save(next, SupportPinVerificationResult.Verified(current.Id, current.ContractId));
            },
            SupportPinVerificationResult.Busy,
            cancellationToken,
            reserved).ConfigureAwait(false);

        if (result.IsVerified)
        {
            if (upgraded is not null)
            {
                Log.SupportPinRehashed(_logger, user.Id);
            }

            await _events.PublishAsync(SecurityEventType.SupportPinVerified, user.Id, user.ContractId, cancellationToken, outcome: SupportPinOutcomeCodes.Verified, actorId: agentId, factor: AuthenticationFactor.SupportPin).ConfigureAwait(false);
        }
        else
        {
            await VerificationFailedAsync(user, agentId, result.Code, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Answers exactly as for a wrong PIN, after the same bcrypt work, so neither the answer nor its timing tells the
    /// account is unknown (or, with <paramref name="known"/>, deactivated). Nothing is counted.
    /// </summary>
    private async ValueTask<SupportPinVerificationResult> UnknownAccountAsync(string agentId, string pin, CancellationToken cancellationToken, UserAccount? known = null, string outcome = SecurityErrorCodes.NotFound)
    {
        _hasher.VerifyDummy(pin);

        // The audit trail may know better than the agent: the user when known, and why. A typed identifier that
        // matched nothing is not recorded (it may be anything, even the PIN typed into the wrong field).
        await _events.PublishAsync(SecurityEventType.SupportPinVerificationFailed, known?.Id, known?.ContractId, cancellationToken, outcome: outcome, actorId: agentId, factor: AuthenticationFactor.SupportPin).ConfigureAwait(false);
        return SupportPinVerificationResult.WrongPin();
    }

    /// <summary>Audits a verification refused for want of authority: the agent's id, the account when known, never the PIN.</summary>
    private ValueTask RefusedAsync(UserAccount? user, string agentId, string code, CancellationToken cancellationToken) =>
        _events.PublishAsync(SecurityEventType.SupportPinVerificationRefused, user?.Id, user?.ContractId, cancellationToken, outcome: code, actorId: agentId, factor: AuthenticationFactor.SupportPin);

    private async ValueTask<SupportPinVerificationResult> RefusedInputAsync(string? agentId, UserAccount? user, SecurityError error, CancellationToken cancellationToken)
    {
        Log.SupportPinVerificationRefusedInput(_logger, agentId, error.Code);
        await VerificationFailedAsync(user, agentId, error.Code, cancellationToken).ConfigureAwait(false);
        return SupportPinVerificationResult.Invalid(error);
    }

    private ValueTask VerificationFailedAsync(UserAccount? user, string? agentId, string code, CancellationToken cancellationToken) =>
        _events.PublishAsync(SecurityEventType.SupportPinVerificationFailed, user?.Id, user?.ContractId, cancellationToken, outcome: code, actorId: agentId, factor: AuthenticationFactor.SupportPin);
}
