using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Stores;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Lockout;

internal enum ReservationStatus
{
    Reserved,
    LockedOut,
    UserNotFound,
    Busy,
}

/// <summary>
/// The outcome of reserving an attempt. <see cref="User"/> is the state as stored after the reservation;
/// <see cref="ReservedAt"/> is when it was written (for a refund to know whether a lock could have come and gone since).
/// <see cref="Budget"/> is the count the attempt was charged to (the account's untrusted budget or a trusted device's).
/// </summary>
internal sealed record FactorReservation(ReservationStatus Status, UserAccount? User, DateTimeOffset? LockedUntil, bool LocksIfFails, DateTimeOffset ReservedAt, LockoutBudget? Budget = null);

/// <summary>
/// The rule "counted before comparing", in one place: counts an attempt against a factor before the secret is
/// compared (<see cref="Verification.FactorVerification"/> compares only with a reservation from here), records a
/// failure's lock, and gives back attempts that were no guess. Races of any
/// size compare at most the configured number of guesses per lock window, across app instances sharing a store.
/// </summary>
internal sealed class FactorAttemptGate
{
    private readonly UserUpdater _updater;
    private readonly TimeProvider _time;
    private readonly LockoutOptions _options;
    private readonly SecurityEventPublisher _events;

    public FactorAttemptGate(UserUpdater updater, TimeProvider time, IOptions<AccountSecurityOptions> options, SecurityEventPublisher events)
    {
        _updater = updater;
        _time = time;
        _options = options.Value.Lockout;
        _events = events;
    }

    /// <summary>Counts one attempt in advance, under the configured options of <paramref name="factor"/>, in the account's untrusted budget.</summary>
    public ValueTask<FactorReservation> ReserveAsync(string userId, AuthenticationFactor factor, CancellationToken cancellationToken, UserAccount? first = null) =>
        ReserveAsync(userId, factor, _options.For(factor), null, cancellationToken, first);

    /// <summary>
    /// Counts one attempt in advance; the caller may compare the secret only when this says
    /// <see cref="ReservationStatus.Reserved"/>. <paramref name="options"/> are the factor's (untrusted) lockout settings;
    /// <paramref name="device"/> is the device the attempt claims to come from: when it is trusted on the state read
    /// here, the attempt is counted in (and refused only by the lock of) that device's own budget.
    /// </summary>
    public ValueTask<FactorReservation> ReserveAsync(string userId, AuthenticationFactor factor, FactorLockoutOptions options, DeviceClaim? device, CancellationToken cancellationToken, UserAccount? first = null) =>
        _updater.UpdateAsync(
            userId,
            user =>
            {
                if (user is null)
                {
                    return UserChange.Keep(new FactorReservation(ReservationStatus.UserNotFound, null, null, false, _time.GetUtcNow()));
                }

                var now = _time.GetUtcNow();
                var budget = LockoutBudget.Resolve(user, factor, options, device, _options.TrustedDevices, now);
                if (!FactorLockout.TryReserve(budget.Get(user), now, budget.Options, out var reserved, out var until, out var locksIfFails))
                {
                    return UserChange.Keep(new FactorReservation(ReservationStatus.LockedOut, user, until, false, now, budget));
                }

                var next = budget.With(user, reserved);
                return UserChange.Save(
                    next,
                    new FactorReservation(ReservationStatus.Reserved, next with { Version = user.Version + 1 }, reserved.LockoutEnd, locksIfFails, now, budget));
            },
            () => new FactorReservation(ReservationStatus.Busy, null, null, false, _time.GetUtcNow()),
            cancellationToken,
            first);

    /// <summary>
    /// Records that the reserved attempt failed: the count already stands, so this only raises the lockout event
    /// when this very failure locked the factor. Returns the lock's end when it did.
    /// </summary>
    public async ValueTask<DateTimeOffset?> FailedAsync(FactorReservation reservation, AuthenticationFactor factor, CancellationToken cancellationToken, string? actorId = null)
    {
        if (!reservation.LocksIfFails || reservation.User is null)
        {
            return null;
        }

        // The untrusted budget's lock is the one the owner must hear about; a device's own lock concerns that device only.
        var type = reservation.Budget?.DeviceId is null ? SecurityEventType.LockedOut : SecurityEventType.TrustedDeviceLockedOut;
        await _events.PublishAsync(type, reservation.User.Id, reservation.User.ContractId, cancellationToken, outcome: Results.SecurityErrorCodes.LockedOut, actorId: actorId, factor: factor).ConfigureAwait(false);
        return reservation.LockedUntil;
    }

    /// <summary>
    /// Gives back a reserved attempt whose secret was valid after all (a code that lost a race to a concurrent
    /// request, or a replay of an accepted code): it was no guess, so it must not count toward the lock. Written on
    /// fresh state, with the arithmetic of <see cref="FactorLockout.Refund"/>. Nothing is given back when the
    /// reservation may no longer stand in the count: <paramref name="stillCounted"/> (given the reserved and the
    /// current state) says no success or reset cleared the count since, and no lock can have run out since (a lock
    /// lasts at least the base duration; after it a fresh count starts without this reservation). When the refund
    /// cannot be written (the store stays busy) the attempt stays counted: erring toward the lock, never away from it.
    /// </summary>
    public async ValueTask RefundAsync(FactorReservation reservation, Func<UserAccount, UserAccount, bool> stillCounted, CancellationToken cancellationToken)
    {
        if (reservation.Status != ReservationStatus.Reserved || reservation.User is not { } reservedUser || reservation.Budget is not { } budget)
        {
            return;
        }

        var options = budget.Options;
        var reservedState = budget.Get(reservedUser);
        await _updater.UpdateAsync(
            reservedUser.Id,
            current =>
            {
                if (current is null
                    || _time.GetUtcNow() - reservation.ReservedAt >= options.BaseLockoutDuration
                    || !stillCounted(reservedUser, current))
                {
                    return UserChange.Keep(false);
                }

                var state = budget.Get(current);
                var refunded = FactorLockout.Refund(state, reservedState, reservation.LocksIfFails, options);
                return refunded == state
                    ? UserChange.Keep(false)
                    : UserChange.Save(budget.With(current, refunded), true);
            },
            () => false,
            cancellationToken).ConfigureAwait(false);
    }
}
