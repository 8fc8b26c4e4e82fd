using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Stores;

namespace AccountSecurity.TwoFactor;

internal enum SecondFactorStatus
{
    Verified,
    Invalid,
    Replayed,
    LockedOut,
    Busy,
    PreconditionFailed,
}

internal sealed record SecondFactorCheck(SecondFactorStatus Status, UserAccount? User, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Checks a TOTP or recovery code for a user under the second-factor lockout: the attempt is counted before the
/// code is compared, and acceptance is written with the version read, so of any number of concurrent submissions of
/// one code exactly one succeeds (a TOTP step is accepted once; a recovery code is spent once).
/// </summary>
internal sealed class SecondFactorVerifier
{
    private readonly FactorAttemptGate _gate;
    private readonly UserUpdater _updater;
    private readonly TotpSecrets _secrets;
    private readonly SecurityEventPublisher _events;

    public SecondFactorVerifier(FactorAttemptGate gate, UserUpdater updater, TotpSecrets secrets, SecurityEventPublisher events)
    {
        _gate = gate;
        _updater = updater;
        _secrets = secrets;
        _events = events;
    }

    /// <summary>
    /// Verifies a TOTP code against the active secret (or, with <paramref name="pending"/>, the pending setup secret).
    /// <paramref name="precondition"/> is re-checked on the fresh state of the acceptance write (for example "the
    /// ticket is still live"); <paramref name="onSuccess"/> adds changes to that same write. <paramref name="user"/> is
    /// the state the caller decided on; a code valid for it that a concurrent request used first is a replay.
    /// </summary>
    public async ValueTask<SecondFactorCheck> VerifyTotpAsync(
        UserAccount user,
        string? code,
        bool pending,
        Func<UserAccount, bool> precondition,
        Func<UserAccount, UserAccount>? onSuccess,
        CancellationToken cancellationToken)
    {
        var reservation = await _gate.ReserveAsync(user.Id, AuthenticationFactor.SecondFactor, cancellationToken, user).ConfigureAwait(false);
        if (reservation.Status != ReservationStatus.Reserved)
        {
            return FromReservation(reservation);
        }

        var reserved = reservation.User!;
        var protectedSecret = pending ? reserved.TwoFactor.PendingProtectedSecret : reserved.TwoFactor.ProtectedSecret;
        var lastStep = pending ? null : reserved.TwoFactor.LastAcceptedTimeStep;
        long step = 0;
        string? reprotected = null;
        var outcome = protectedSecret is null ? TotpOutcome.Invalid : _secrets.Verify(reserved.Id, protectedSecret, code, lastStep, out step, out reprotected);
        if (outcome == TotpOutcome.Invalid && pending && ConfirmedMeanwhile(user, reserved) is { } confirmed)
        {
            // The setup this request meant to confirm was confirmed by a concurrent request before our reservation:
            // a code valid for that secret is the same code submitted twice, not a guess.
            outcome = _secrets.Verify(reserved.Id, confirmed, code, reserved.TwoFactor.LastAcceptedTimeStep, out _, out _) == TotpOutcome.Invalid
                ? TotpOutcome.Invalid
                : TotpOutcome.Replayed;
        }

        switch (outcome)
        {
            case TotpOutcome.Replayed:
                return await LostRaceAsync(reservation, cancellationToken).ConfigureAwait(false);
            case TotpOutcome.Invalid:
                return await FailedAsync(reservation, cancellationToken).ConfigureAwait(false);
        }

        var accepted = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                if (current is null)
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.PreconditionFailed, null));
                }

                // The decisive replay checks, on the state being written, so only one writer can take this step
                // (or confirm this setup). They come before the precondition: the loser of a double submit finds the
                // ticket spent too, and must be told (and counted as) a replay, not a failure.
                if (pending
                    ? current.TwoFactor.IsEnabled && current.TwoFactor.ProtectedSecret == protectedSecret
                    : current.TwoFactor.ProtectedSecret == protectedSecret && current.TwoFactor.LastAcceptedTimeStep is { } last && step <= last)
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.Replayed, null));
                }

                var secretNow = pending ? current.TwoFactor.PendingProtectedSecret : current.TwoFactor.ProtectedSecret;
                if (secretNow != protectedSecret || !precondition(current))
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.PreconditionFailed, null));
                }

                var next = FactorAttemptGate.Cleared(current, AuthenticationFactor.SecondFactor);
                next = next with { TwoFactor = next.TwoFactor with { LastAcceptedTimeStep = step } };
                if (reprotected is not null)
                {
                    // Key rotation: the secret moves to the current key in the same write.
                    next = next with
                    {
                        TwoFactor = pending
                            ? next.TwoFactor with { PendingProtectedSecret = reprotected }
                            : next.TwoFactor with { ProtectedSecret = reprotected },
                    };
                }

                if (onSuccess is not null)
                {
                    next = onSuccess(next);
                }

                return UserChange<SecondFactorCheck>.Save(next, new(SecondFactorStatus.Verified, next with { Version = current.Version + 1 }));
            },
            () => new SecondFactorCheck(SecondFactorStatus.Busy, null),
            cancellationToken).ConfigureAwait(false);

        return await AfterValidCodeAsync(reservation, accepted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Spends one recovery code (exactly once under concurrency), under the second-factor lockout. A code that
    /// <paramref name="user"/> (the state the caller decided on) still held and a concurrent request spent first is a
    /// replay, not a guess.
    /// </summary>
    public async ValueTask<SecondFactorCheck> VerifyRecoveryCodeAsync(
        UserAccount user,
        string? recoveryCode,
        Func<UserAccount, bool> precondition,
        Func<UserAccount, UserAccount>? onSuccess,
        CancellationToken cancellationToken)
    {
        var reservation = await _gate.ReserveAsync(user.Id, AuthenticationFactor.SecondFactor, cancellationToken, user).ConfigureAwait(false);
        if (reservation.Status != ReservationStatus.Reserved)
        {
            return FromReservation(reservation);
        }

        var reserved = reservation.User!;
        if (!reserved.TwoFactor.IsEnabled || RecoveryCodes.Find(reserved.TwoFactor.RecoveryCodeHashes, recoveryCode) < 0)
        {
            // Spent between the caller's read and our reservation? Then this is the same code submitted twice.
            var spentMeanwhile = user.TwoFactor.IsEnabled
                && !user.TwoFactor.RecoveryCodeHashes.SequenceEqual(reserved.TwoFactor.RecoveryCodeHashes)
                && RecoveryCodes.Find(user.TwoFactor.RecoveryCodeHashes, recoveryCode) >= 0;
            return spentMeanwhile
                ? await LostRaceAsync(reservation, cancellationToken).ConfigureAwait(false)
                : await FailedAsync(reservation, cancellationToken).ConfigureAwait(false);
        }

        var accepted = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                if (current is null)
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.PreconditionFailed, null));
                }

                // Looked up again on the state being written: a code spent by a concurrent request is gone here, and
                // that request won the race (checked before the precondition, which the winner's write also breaks).
                var index = current.TwoFactor.IsEnabled ? RecoveryCodes.Find(current.TwoFactor.RecoveryCodeHashes, recoveryCode) : -1;
                if (index < 0 && current.TwoFactor.IsEnabled)
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.Replayed, null));
                }

                if (index < 0 || !precondition(current))
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.PreconditionFailed, null));
                }

                var next = FactorAttemptGate.Cleared(current, AuthenticationFactor.SecondFactor);
                next = next with { TwoFactor = next.TwoFactor with { RecoveryCodeHashes = next.TwoFactor.RecoveryCodeHashes.RemoveAt(index) } };
                if (onSuccess is not null)
                {
                    next = onSuccess(next);
                }

                return UserChange<SecondFactorCheck>.Save(next, new(SecondFactorStatus.Verified, next with { Version = current.Version + 1 }));
            },
            () => new SecondFactorCheck(SecondFactorStatus.Busy, null),
            cancellationToken).ConfigureAwait(false);

        if (accepted.Status == SecondFactorStatus.Verified)
        {
            await _events.PublishAsync(SecurityEventType.RecoveryCodeUsed, user.Id, user.ContractId, cancellationToken, factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
        }

        return await AfterValidCodeAsync(reservation, accepted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The code compared as valid; the acceptance write decided. A success has cleared the count. Anything else is no
    /// failed guess (the code was right): its reserved attempt is given back, and a code that a concurrent request
    /// used first is reported as a replay.
    /// </summary>
    private async ValueTask<SecondFactorCheck> AfterValidCodeAsync(FactorReservation reservation, SecondFactorCheck accepted, CancellationToken cancellationToken)
    {
        switch (accepted.Status)
        {
            case SecondFactorStatus.Verified:
                return accepted;
            case SecondFactorStatus.Replayed:
                return await LostRaceAsync(reservation, cancellationToken).ConfigureAwait(false);
            default:
                await _gate.RefundAsync(reservation, AuthenticationFactor.SecondFactor, NoSecondFactorWriteSince, cancellationToken).ConfigureAwait(false);
                return accepted;
        }
    }

    /// <summary>A valid code that lost the race (or replays an accepted step): a replay, refunded, never a failure and never a lock.</summary>
    private async ValueTask<SecondFactorCheck> LostRaceAsync(FactorReservation reservation, CancellationToken cancellationToken)
    {
        await _gate.RefundAsync(reservation, AuthenticationFactor.SecondFactor, NoSecondFactorWriteSince, cancellationToken).ConfigureAwait(false);
        var user = reservation.User!;
        await _events.PublishAsync(SecurityEventType.ReplayRejected, user.Id, user.ContractId, cancellationToken, factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
        return new(SecondFactorStatus.Replayed, null);
    }

    /// <summary>A wrong code: the reserved attempt stands as a failure (event, and the lock if it locked).</summary>
    private async ValueTask<SecondFactorCheck> FailedAsync(FactorReservation reservation, CancellationToken cancellationToken)
    {
        var user = reservation.User!;
        await _events.PublishAsync(SecurityEventType.SecondFactorFailed, user.Id, user.ContractId, cancellationToken, factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
        var lockedUntil = await _gate.FailedAsync(reservation, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        return lockedUntil is { } until ? new(SecondFactorStatus.LockedOut, null, until) : new(SecondFactorStatus.Invalid, null);
    }

    /// <summary>
    /// Whether the second-factor count still holds a reservation made on <paramref name="reserved"/>: every write that
    /// clears it (a TOTP success advances the accepted step or moves the secret, a recovery code is spent, setup is
    /// confirmed, 2FA is disabled or reset) changes the factor's material, so unchanged material means no clear.
    /// A change without a clear (a new pending setup) only makes the refund err toward counting.
    /// </summary>
    private static bool NoSecondFactorWriteSince(UserAccount reserved, UserAccount current) =>
        reserved.TwoFactor.IsEnabled == current.TwoFactor.IsEnabled
        && reserved.TwoFactor.ProtectedSecret == current.TwoFactor.ProtectedSecret
        && reserved.TwoFactor.PendingProtectedSecret == current.TwoFactor.PendingProtectedSecret
        && reserved.TwoFactor.LastAcceptedTimeStep == current.TwoFactor.LastAcceptedTimeStep
        && reserved.TwoFactor.RecoveryCodeHashes.SequenceEqual(current.TwoFactor.RecoveryCodeHashes);

    /// <summary>The secret of the setup <paramref name="decidedOn"/> was pending, when <paramref name="reserved"/> shows it confirmed since.</summary>
    private static string? ConfirmedMeanwhile(UserAccount decidedOn, UserAccount reserved) =>
        decidedOn.TwoFactor.PendingProtectedSecret is { } wanted
        && reserved.TwoFactor.PendingProtectedSecret is null
        && reserved.TwoFactor.IsEnabled
        && reserved.TwoFactor.ProtectedSecret == wanted
            ? wanted
            : null;

    private static SecondFactorCheck FromReservation(FactorReservation reservation) => reservation.Status switch
    {
        ReservationStatus.LockedOut => new(SecondFactorStatus.LockedOut, null, reservation.LockedUntil),
        ReservationStatus.Busy => new(SecondFactorStatus.Busy, null),
        _ => new(SecondFactorStatus.PreconditionFailed, null),
    };
}
