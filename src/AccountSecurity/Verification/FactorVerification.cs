using AccountSecurity.Accounts;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Stores;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Verification;

/// <summary>
/// The one verification pipeline every factor goes through — password, TOTP code, recovery code, support PIN, and
/// whatever factor comes next: reserve an attempt (<see cref="FactorAttemptGate"/>: counted before comparing), compare
/// (the <see cref="FactorStrategy"/>), then either record the failure and the lock, or write the success on freshly
/// read, re-checked state (<see cref="FactorSuccessWrite"/>). A valid secret that does not end in a success (a replay,
/// a lost race, a refused write, a comparison refused for load) is given back to the count where that is safe.
/// </summary>
internal sealed class FactorVerification
{
    private readonly FactorAttemptGate _gate;
    private readonly UserUpdater _updater;
    private readonly LockoutOptions _lockout;

    public FactorVerification(FactorAttemptGate gate, UserUpdater updater, IOptions<AccountSecurityOptions> options, HashingLimiter hashing, CountingTime counting)
    {
        _gate = gate;
        _updater = updater;
        _lockout = options.Value.Lockout;
        Hashing = hashing;
        Counting = counting;
    }

    /// <summary>The process's one hashing limiter, for the strategies that hash and for hashing outside a verification (new passwords, PINs, dummies).</summary>
    public HashingLimiter Hashing { get; }

    /// <summary>How long counting an attempt took lately, measured here, for the dummy checks that count nothing (<see cref="CountingTime"/>).</summary>
    public CountingTime Counting { get; }

    /// <summary>
    /// Verifies <paramref name="strategy"/>'s secret for <paramref name="user"/> (the state the caller decided on).
    /// <paramref name="precondition"/> is re-checked on the fresh state of the success write (for example "the ticket
    /// is still live"); <paramref name="onSuccess"/> adds the caller's changes to that same write. Never throws for a
    /// wrong, replayed or malformed secret; every outcome is a <see cref="FactorCheck"/>.
    /// </summary>
    /// <remarks>
    /// Traced as one <c>accountsecurity.factor.verify</c> span (tags: the factor, the outcome, whether it is locked):
    /// every factor check of every flow, whatever calls it, with the store writes and the bcrypt wait inside it.
    /// </remarks>
    public async ValueTask<FactorCheck> VerifyAsync(
        UserAccount user,
        FactorStrategy strategy,
        CancellationToken cancellationToken,
        Func<UserAccount, bool>? precondition = null,
        Func<UserAccount, UserAccount>? onSuccess = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(strategy);
        using var span = AccountSecurityActivitySource.Start(SpanNames.FactorVerify);
        span.Tag(SpanTags.Factor, TraceCodes.Of(strategy.Factor));
        try
        {
            return span.Outcome(await VerifyCoreAsync(user, strategy, cancellationToken, precondition, onSuccess).ConfigureAwait(false));
        }
        catch (Exception exception) when (span.Threw(exception))
        {
            throw; // never reached: the filter only records the exception's type on the span
        }
    }

    private async ValueTask<FactorCheck> VerifyCoreAsync(
        UserAccount user,
        FactorStrategy strategy,
        CancellationToken cancellationToken,
        Func<UserAccount, bool>? precondition,
        Func<UserAccount, UserAccount>? onSuccess)
    {
        var factor = strategy.Factor;
        var options = strategy.LockoutOptions(_lockout);

        // Capacity first: a machine at its hashing limit answers before anything is counted, so overload can never
        // lock anyone out, and the turn is held across counting and comparing (the counted guess is the compared one).
        var capacity = await strategy.AcquireCapacityAsync(user, cancellationToken).ConfigureAwait(false);
        if (capacity is { Granted: false })
        {
            capacity.Dispose();
            return FactorCheck.Overloaded(capacity.RetryAfter);
        }

        FactorReservation reservation;
        FactorComparison comparison;
        using (capacity)
        {
            var counting = Counting.Start();
            reservation = await _gate.ReserveAsync(user.Id, factor, options, strategy.Device, cancellationToken, user).ConfigureAwait(false);
            switch (reservation.Status)
            {
                case ReservationStatus.LockedOut:
                    await strategy.NoComparisonAsync(cancellationToken).ConfigureAwait(false);
                    return new FactorCheck(FactorStatus.LockedOut, null, reservation.LockedUntil);
                case ReservationStatus.Busy:
                    await strategy.NoComparisonAsync(cancellationToken).ConfigureAwait(false);
                    return FactorCheck.Of(FactorStatus.Busy);
                case ReservationStatus.UserNotFound:
                    await strategy.NoComparisonAsync(cancellationToken).ConfigureAwait(false);
                    return FactorCheck.Of(FactorStatus.NotFound);
            }

            // Timed for the answers that count nothing (an unknown e-mail, a lock): they take as long (CountingTime).
            Counting.Counted(counting);

            comparison = await strategy.CompareReservedAsync(user, reservation, cancellationToken).ConfigureAwait(false);
        }

        var reserved = reservation.User!;
        switch (comparison)
        {
            case FactorComparison.Wrong:
                await strategy.WrongAsync(reserved, cancellationToken).ConfigureAwait(false);
                var lockedUntil = await _gate.FailedAsync(reservation, factor, cancellationToken, strategy.ActorId).ConfigureAwait(false);
                return new FactorCheck(FactorStatus.Wrong, null, lockedUntil);
            case FactorComparison.Replayed:
                return await ReplayedAsync(strategy, reservation, cancellationToken).ConfigureAwait(false);
            case FactorComparison.Busy:
                // Refused before any comparison (issue 11's limiter): no guess was made, so none may count.
                await RefundAsync(strategy, reservation, cancellationToken).ConfigureAwait(false);
                return FactorCheck.Of(FactorStatus.Busy);
        }

        var written = await _updater.UpdateAsync(
            user.Id,
            current => FactorSuccessWrite.Decide(strategy, reservation.Budget!, reserved, current, precondition, onSuccess),
            () => FactorCheck.Of(FactorStatus.Busy),
            cancellationToken,
            reserved).ConfigureAwait(false);

        switch (written.Status)
        {
            case FactorStatus.Verified:
                await strategy.VerifiedAsync(written.User!, cancellationToken).ConfigureAwait(false);
                return written;
            case FactorStatus.Replayed:
                return await ReplayedAsync(strategy, reservation, cancellationToken).ConfigureAwait(false);
            default:
                // The secret was right; the write did not happen (refused on fresh state, or the store stayed busy).
                await RefundAsync(strategy, reservation, cancellationToken).ConfigureAwait(false);
                return written;
        }
    }

    /// <summary>A valid secret that lost the race (or replays an accepted one): refunded, reported, never a failure and never a lock.</summary>
    private async ValueTask<FactorCheck> ReplayedAsync(FactorStrategy strategy, FactorReservation reservation, CancellationToken cancellationToken)
    {
        await RefundAsync(strategy, reservation, cancellationToken).ConfigureAwait(false);
        await strategy.ReplayedAsync(reservation.User!, cancellationToken).ConfigureAwait(false);
        return FactorCheck.Of(FactorStatus.Replayed);
    }

    private ValueTask RefundAsync(FactorStrategy strategy, FactorReservation reservation, CancellationToken cancellationToken) =>
        _gate.RefundAsync(reservation, strategy.StillCounted, cancellationToken);
}
