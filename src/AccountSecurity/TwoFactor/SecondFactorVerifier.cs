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
    /// ticket is still live"); <paramref name="onSuccess"/> adds changes to that same write.
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
        if (outcome != TotpOutcome.Valid)
        {
            return await FailedAsync(reservation, outcome == TotpOutcome.Replayed ? SecondFactorStatus.Replayed : SecondFactorStatus.Invalid, cancellationToken).ConfigureAwait(false);
        }

        var accepted = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                var secretNow = pending ? current?.TwoFactor.PendingProtectedSecret : current?.TwoFactor.ProtectedSecret;
                if (current is null || secretNow != protectedSecret || !precondition(current))
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.PreconditionFailed, null));
                }

                // The decisive replay check: on the state being written, so only one writer can take this step.
                if (current.TwoFactor.LastAcceptedTimeStep is { } last && step <= last && !pending)
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.Replayed, null));
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

        // A concurrent request took this step first: the reserved attempt failed after all (event, and lock if it locked).
        return accepted.Status == SecondFactorStatus.Replayed
            ? await FailedAsync(reservation, SecondFactorStatus.Replayed, cancellationToken).ConfigureAwait(false)
            : accepted;
    }

    /// <summary>Spends one recovery code (exactly once under concurrency), under the second-factor lockout.</summary>
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
            return await FailedAsync(reservation, SecondFactorStatus.Invalid, cancellationToken).ConfigureAwait(false);
        }

        var accepted = await _updater.UpdateAsync(
            user.Id,
            current =>
            {
                if (current is null || !current.TwoFactor.IsEnabled || !precondition(current))
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.PreconditionFailed, null));
                }

                // Looked up again on the state being written: a code spent by a concurrent request is gone here.
                var index = RecoveryCodes.Find(current.TwoFactor.RecoveryCodeHashes, recoveryCode);
                if (index < 0)
                {
                    return UserChange<SecondFactorCheck>.Keep(new(SecondFactorStatus.Invalid, null));
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

        // A concurrent request spent this code first: the reserved attempt failed after all (event, and lock if it locked).
        return accepted.Status == SecondFactorStatus.Invalid
            ? await FailedAsync(reservation, SecondFactorStatus.Invalid, cancellationToken).ConfigureAwait(false)
            : accepted;
    }

    private async ValueTask<SecondFactorCheck> FailedAsync(FactorReservation reservation, SecondFactorStatus status, CancellationToken cancellationToken)
    {
        var user = reservation.User!;
        await _events.PublishAsync(
            status == SecondFactorStatus.Replayed ? SecurityEventType.ReplayRejected : SecurityEventType.SecondFactorFailed,
            user.Id,
            user.ContractId,
            cancellationToken,
            factor: AuthenticationFactor.SecondFactor).ConfigureAwait(false);
        var lockedUntil = await _gate.FailedAsync(reservation, AuthenticationFactor.SecondFactor, cancellationToken).ConfigureAwait(false);
        return lockedUntil is { } until ? new(SecondFactorStatus.LockedOut, null, until) : new(status, null);
    }

    private static SecondFactorCheck FromReservation(FactorReservation reservation) => reservation.Status switch
    {
        ReservationStatus.LockedOut => new(SecondFactorStatus.LockedOut, null, reservation.LockedUntil),
        ReservationStatus.Busy => new(SecondFactorStatus.Busy, null),
        _ => new(SecondFactorStatus.PreconditionFailed, null),
    };
}
