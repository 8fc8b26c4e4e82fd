using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Verification;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Passwords;

/// <summary>The outcome of checking a user's password under the password lockout.</summary>
internal sealed record PasswordCheck(SecurityResult Result, UserAccount? User)
{
    public bool Succeeded => Result.Succeeded;
}

/// <summary>
/// Checks a known user's password the one safe way, for sign-in and every re-authentication (password change,
/// 2FA changes, PIN changes): the <see cref="PasswordStrategy"/> through the factor pipeline, mapped to a result once.
/// </summary>
/// <remarks>
/// Every answer costs exactly one <see cref="IPasswordHasher.Verify"/> (or, when no comparison can be made, one
/// <see cref="IPasswordHasher.VerifyDummy"/>) of the given password: locked out, busy, a vanished account, a missing or
/// malformed hash, and a null, empty, over-long or invalid password all take the time of a wrong password. An answer
/// that counts no attempt (locked out, a vanished account, an unknown e-mail) also takes the time a count's store write
/// took lately (<see cref="CountingTime"/>). Only a success that upgrades an old hash does more (the rehash), and only
/// for someone who knows the password.
/// </remarks>
internal sealed class PasswordVerifier
{
    private readonly FactorVerification _pipeline;
    private readonly IPasswordHasher _hasher;
    private readonly SecurityEventPublisher _events;
    private readonly ILogger<PasswordVerifier> _logger;

    public PasswordVerifier(FactorVerification pipeline, IPasswordHasher hasher, SecurityEventPublisher events, ILogger<PasswordVerifier> logger)
    {
        _pipeline = pipeline;
        _hasher = hasher;
        _events = events;
        _logger = logger;
    }

    /// <summary>The process's hashing limiter, for the callers that hash new passwords or spend dummy work.</summary>
    public HashingLimiter Hashing => _pipeline.Hashing;

    /// <summary>
    /// Spends what one password check costs (for an answer that needs no comparison), in a turn at the limiter taken
    /// under <paramref name="email"/>'s key, as a real check of that address would be (<see cref="HashingAccountKey"/>):
    /// the dummy hash, and the time counting the attempt would have taken (<see cref="CountingTime"/>: a real check
    /// writes its count to the store first). Returns the busy error when the machine is at capacity or that address
    /// already has a check in flight (then nothing was spent, and the caller answers busy).
    /// </summary>
    public ValueTask<SecurityError?> SpendDummyAsync(string? email, string? password, CancellationToken cancellationToken) =>
        Hashing.SpendAsync(() => DummyCheck(_hasher, _pipeline.Counting, password), HashingAccountKey.OfEmail(email), cancellationToken);

    /// <summary>What a password check that compares nothing costs, on the hashing thread: a dummy hash and a count's time.</summary>
    internal static void DummyCheck(IPasswordHasher hasher, CountingTime counting, string? password)
    {
        hasher.VerifyDummy(password);
        counting.Spend();
    }

    /// <summary>
    /// Checks <paramref name="password"/> for <paramref name="user"/> through the factor pipeline. Failures: <c>locked_out</c>
    /// (with its end), <paramref name="wrongPasswordCode"/>, <c>concurrency_conflict</c>, or <c>busy</c> (the machine at
    /// its hashing capacity: nothing counted or compared). The returned user is the stored
    /// state after success.
    /// </summary>
    /// <remarks>
    /// <paramref name="onSuccess"/> adds further changes to the success write (one write instead of two).
    /// <paramref name="device"/> (a presented device token) counts the attempt in that device's own budget when it is
    /// trusted on the account; otherwise the account's untrusted budget counts it.
    /// </remarks>
    public async ValueTask<PasswordCheck> CheckAsync(UserAccount user, string? password, string wrongPasswordCode, CancellationToken cancellationToken, Func<UserAccount, UserAccount>? onSuccess = null, DeviceClaim? device = null)
    {
        var strategy = new PasswordStrategy(_pipeline.Hashing, _hasher, password, _events, _logger, _pipeline.Counting) { Device = device };
        var check = await _pipeline.VerifyAsync(user, strategy, cancellationToken, onSuccess: onSuccess).ConfigureAwait(false);
        return check switch
        {
            { IsVerified: true } => new(SecurityResult.Success(), check.User),
            { IsLocked: true } => new(LockedOut(check.LockedUntil!.Value), null),
            { Status: FactorStatus.Busy } => new(SecurityResult.Failed(Busy()), null),
            { Status: FactorStatus.Overloaded } => new(SecurityResult.Failed(HashingLimiter.BusyError(check.RetryAfter!.Value)), null),

            // Wrong, an account that vanished, or one deactivated (or whose password changed) while we compared.
            _ => new(SecurityResult.Failed(Wrong(wrongPasswordCode)), null),
        };
    }

    public static SecurityResult LockedOut(DateTimeOffset until) => SecurityResult.LockedOut(
        new SecurityError(SecurityErrorCodes.LockedOut, UserMessages.TooManyFailedAttempts), until);

    public static SecurityError Busy() => new(SecurityErrorCodes.ConcurrencyConflict, UserMessages.AccountBusy);

    private static SecurityError Wrong(string code) => code == SecurityErrorCodes.PasswordWrongCurrent
        ? new SecurityError(code, UserMessages.CurrentPasswordWrong)
        : new SecurityError(code, UserMessages.EmailOrPasswordWrong);
}
