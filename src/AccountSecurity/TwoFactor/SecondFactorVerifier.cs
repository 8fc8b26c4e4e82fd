using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Verification;

namespace AccountSecurity.TwoFactor;

/// <summary>
/// Checks a TOTP or recovery code for a user through the factor pipeline (<see cref="FactorVerification"/>): the
/// attempt is counted before the code is compared, and acceptance is written on fresh state, so of any number of
/// concurrent submissions of one code exactly one succeeds (a TOTP step is accepted once; a recovery code is spent once).
/// </summary>
internal sealed class SecondFactorVerifier
{
    private readonly FactorVerification _pipeline;
    private readonly TotpSecrets _secrets;
    private readonly SecurityEventPublisher _events;

    public SecondFactorVerifier(FactorVerification pipeline, TotpSecrets secrets, SecurityEventPublisher events)
    {
        _pipeline = pipeline;
        _secrets = secrets;
        _events = events;
    }

    /// <summary>
    /// Verifies a TOTP code against the active secret (or, with <paramref name="pending"/>, the pending setup secret).
    /// <paramref name="precondition"/> is re-checked on the fresh state of the acceptance write (for example "the
    /// ticket is still live"); <paramref name="onSuccess"/> adds changes to that same write. <paramref name="user"/> is
    /// the state the caller decided on; a code valid for it that a concurrent request used first is a replay.
    /// <paramref name="device"/> (the device a sign-in ticket recorded) selects that device's own budget when trusted.
    /// </summary>
    public ValueTask<FactorCheck> VerifyTotpAsync(
        UserAccount user,
        string? code,
        bool pending,
        Func<UserAccount, bool> precondition,
        Func<UserAccount, UserAccount>? onSuccess,
        CancellationToken cancellationToken,
        DeviceClaim? device = null) =>
        _pipeline.VerifyAsync(user, new TotpStrategy(_secrets, code, pending, _events) { Device = device }, cancellationToken, precondition, onSuccess);

    /// <summary>
    /// Spends one recovery code (exactly once under concurrency), under the second-factor lockout. A code that
    /// <paramref name="user"/> (the state the caller decided on) still held and a concurrent request spent first is a
    /// replay, not a guess.
    /// </summary>
    public ValueTask<FactorCheck> VerifyRecoveryCodeAsync(
        UserAccount user,
        string? recoveryCode,
        Func<UserAccount, bool> precondition,
        Func<UserAccount, UserAccount>? onSuccess,
        CancellationToken cancellationToken,
        DeviceClaim? device = null) =>
        _pipeline.VerifyAsync(user, new RecoveryCodeStrategy(recoveryCode, _events) { Device = device }, cancellationToken, precondition, onSuccess);
}
