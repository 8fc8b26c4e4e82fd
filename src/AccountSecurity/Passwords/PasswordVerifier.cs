using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Passwords;

/// <summary>The outcome of checking a user's password under the password lockout.</summary>
internal sealed record PasswordCheck(SecurityResult Result, UserAccount? User)
{
    public bool Succeeded => Result.Succeeded;
}

/// <summary>
/// Checks a known user's password the one safe way, for sign-in and every re-authentication (password change,
/// 2FA changes, PIN changes): reserve an attempt, compare, then on success clear the count and upgrade an old hash.
/// </summary>
/// <remarks>
/// Every answer costs exactly one <see cref="IPasswordHasher.Verify"/> (or, when no comparison can be made, one
/// <see cref="IPasswordHasher.VerifyDummy"/>) of the given password: locked out, busy, a vanished account, a missing or
/// malformed hash, and a null, empty, over-long or invalid password all take the time of a wrong password. Only a
/// success that upgrades an old hash does more (the rehash), and only for someone who knows the password.
/// </remarks>
internal sealed class PasswordVerifier
{
    private readonly FactorAttemptGate _gate;
    private readonly UserUpdater _updater;
    private readonly IPasswordHasher _hasher;
    private readonly SecurityEventPublisher _events;
    private readonly ILogger<PasswordVerifier> _logger;

    public PasswordVerifier(FactorAttemptGate gate, UserUpdater updater, IPasswordHasher hasher, SecurityEventPublisher events, ILogger<PasswordVerifier> logger)
    {
        _gate = gate;
        _updater = updater;
        _hasher = hasher;
        _events = events;
        _logger = logger;
    }

    /// <summary>
    /// Checks <paramref name="password"/> for <paramref name="user"/>. Failures: <c>locked_out</c> (with its end),
    /// <paramref name="wrongPasswordCode"/>, or <c>concurrency_conflict</c>. The returned user is the stored state after success.
    /// </summary>
    /// <remarks><paramref name="onSuccess"/> adds further changes to the success write (one write instead of two).</remarks>
    public async ValueTask<PasswordCheck> CheckAsync(UserAccount user, string? password, string wrongPasswordCode, CancellationToken cancellationToken, Func<UserAccount, UserAccount>? onSuccess = null)
    {
        var reservation = await _gate.ReserveAsync(user.Id, AuthenticationFactor.Password, cancellationToken, user).ConfigureAwait(false);
        if (reservation.Status is ReservationStatus.LockedOut or ReservationStatus.Busy or ReservationStatus.UserNotFound)
        {
            // Every answer of a password step costs the hasher's work for this password, whatever the state of the
            // account: an answer that skipped it would be measurably faster than a wrong password.
            _hasher.VerifyDummy(password);
        }

        switch (reservation.Status)
        {
            case ReservationStatus.LockedOut:
                return new(LockedOut(reservation.LockedUntil!.Value), null);
            case ReservationStatus.Busy:
                return new(SecurityResult.Failed(Busy()), null);
            case ReservationStatus.UserNotFound:
                return new(SecurityResult.Failed(Wrong(wrongPasswordCode)), null);
        }

        var reserved = reservation.User!;
        var verification = _hasher.Verify(reserved.PasswordHash, password);
        if (verification == PasswordVerificationResult.MalformedHash && reserved.PasswordHash is not null)
        {
            Log.MalformedPasswordHash(_logger, reserved.Id);
        }

        if (verification is not (PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded))
        {
            var lockedUntil = await _gate.FailedAsync(reservation, AuthenticationFactor.Password, cancellationToken).ConfigureAwait(false);
            return new(lockedUntil is { } until ? LockedOut(until) : SecurityResult.Failed(Wrong(wrongPasswordCode)), null);
        }

        // Hash outside the retry loop: bcrypt is slow and the decision below must stay a quick pure function.
        string? upgraded = null;
        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehash = _hasher.Hash(password);
            upgraded = rehash.Succeeded ? rehash.Value : null;
        }

        var verifiedHash = reserved.PasswordHash;
        var (result, stored) = await _updater.UpdateAsync<(SecurityResult, UserAccount?)>(
            user.Id,
            current =>
            {
                // The password changed under us (what was verified is no longer the password), or the account was
                // deactivated while we compared: a sign-in or re-authentication must not succeed for it.
                if (current is null || !current.IsActive || current.PasswordHash != verifiedHash)
                {
                    return UserChange<(SecurityResult, UserAccount?)>.Keep((SecurityResult.Failed(Wrong(wrongPasswordCode)), null));
                }

                var next = FactorAttemptGate.Cleared(current, AuthenticationFactor.Password);
                if (upgraded is not null)
                {
                    next = next with { PasswordHash = upgraded };
                }

                if (onSuccess is not null)
                {
                    next = onSuccess(next);
                }

                return UserChange<(SecurityResult, UserAccount?)>.Save(next, (SecurityResult.Success(), next with { Version = current.Version + 1 }));
            },
            () => (SecurityResult.Failed(Busy()), null),
            cancellationToken,
            reserved).ConfigureAwait(false);

        if (result.Succeeded && upgraded is not null)
        {
            await _events.PublishAsync(SecurityEventType.PasswordRehashed, user.Id, user.ContractId, cancellationToken).ConfigureAwait(false);
        }

        return new(result, stored);
    }

    public static SecurityResult LockedOut(DateTimeOffset until) => SecurityResult.LockedOut(
        new SecurityError(SecurityErrorCodes.LockedOut, "Too many failed attempts. Try again later."), until);

    public static SecurityError Busy() => new(SecurityErrorCodes.ConcurrencyConflict, "The account is busy with another request. Try again.");

    private static SecurityError Wrong(string code) => code == PasswordErrorCodes.WrongCurrent
        ? new SecurityError(code, "The current password is not correct.")
        : new SecurityError(code, "The e-mail address or password is not correct.");
}
