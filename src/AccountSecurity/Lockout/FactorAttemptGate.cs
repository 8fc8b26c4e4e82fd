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
/// </summary>
internal sealed record FactorReservation(ReservationStatus Status, UserAccount? User, DateTimeOffset? LockedUntil, bool LocksIfFails, DateTimeOffset ReservedAt);

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

    /// <summary>Counts one attempt in advance, under the configured options of <paramref name="factor"/>.</summary>
    public ValueTask<FactorReservation> ReserveAsync(string userId, AuthenticationFactor factor, CancellationToken cancellationToken, UserAccount? first = null) =>
        ReserveAsync(userId, factor, _options.For(factor), cancellationToken, first);

    /// <summary>
    /// Counts one attempt in advance; the caller may compare the secret only when this says
    /// <see cref="ReservationStatus.Reserved"/>. <paramref name="options"/> are the factor's lockout settings.
    /// </summary>
    public ValueTask<FactorReservation> ReserveAsync(string userId, AuthenticationFactor factor, FactorLockoutOptions options, CancellationToken cancellationToken, UserAccount? first = null) =>
        _updater.UpdateAsync(
            userId,
            user =>
            {
                if (user is null)
                {
                    return UserChange.Keep(new FactorReservation(ReservationStatus.UserNotFound, null, null, false, _time.GetUtcNow()));
                }

                var now = _time.GetUtcNow();
                if (!FactorLockout.TryReserve(FactorLockout.Get(user, factor), now, options, out var reserved, out var until, out var locksIfFails))
                {
                    return UserChange.Keep(new FactorReservation(ReservationStatus.LockedOut, user, until, false, now));
                }

                var next = FactorLockout.With(user, factor, reserved);
                return UserChange.Save(
                    next,
                    new FactorReservation(ReservationStatus.Reserved, next with { Version = user.Version + 1 }, reserved.LockoutEnd, locksIfFails, now));
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

        await _events.PublishAsync(SecurityEventType.LockedOut, reservation.User.Id, reservation.User.ContractId, cancellationToken, outcome: Results.SecurityErrorCodes.LockedOut, actorId: actorId, factor: factor).ConfigureAwait(false);
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
    public ValueTask RefundAsync(FactorReservation reservation, AuthenticationFactor factor, Func<UserAccount, UserAccount, bool> stillCounted, CancellationToken cancellationToken) =>
        RefundAsync(reservation, factor, _options.For(factor), stillCounted, cancellationToken);

    /// <summary>The refund above, under the factor's lockout <paramref name="options"/> (a factor the options do not list brings its own).</summary>
    public async ValueTask RefundAsync(FactorReservation reservation, AuthenticationFactor factor, FactorLockoutOptions options, Func<UserAccount, UserAccount, bool> stillCounted, CancellationToken cancellationToken)
    {
        if (reservation.Status != ReservationStatus.Reserved || reservation.User is not { } reservedUser)
        {
            return;
        }

        var reservedState = FactorLockout.Get(reservedUser, factor);
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

                var state = FactorLockout.Get(current, factor);
                var refunded = FactorLockout.Refund(state, reservedState, reservation.LocksIfFails, options);
                return refunded == state
                    ? UserChange.Keep(false)
                    : UserChange.Save(FactorLockout.With(current, factor, refunded), true);
            },
            () => false,
            cancellationToken).ConfigureAwait(false);
    }
}
