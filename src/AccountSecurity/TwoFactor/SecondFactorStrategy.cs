using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Verification;

namespace AccountSecurity.TwoFactor;

/// <summary>
/// What TOTP codes and recovery codes share as factors: one count (<see cref="AuthenticationFactor.SecondFactor"/>), the
/// failure and replay events, and the refund rule (a success always changes the second factor's material).
/// </summary>
internal abstract class SecondFactorStrategy : FactorStrategy
{
    private readonly SecurityEventPublisher _events;

    protected SecondFactorStrategy(SecurityEventPublisher events) => _events = events;

    public override AuthenticationFactor Factor => AuthenticationFactor.SecondFactor;

    protected SecurityEventPublisher Events => _events;

    /// <summary>
    /// Every write that clears the second-factor count (a TOTP success advances the accepted step or moves the secret,
    /// a recovery code is spent, setup is confirmed, 2FA is disabled or reset) changes the factor's material, so
    /// unchanged material means no clear. A change without a clear (a new pending setup) only makes the refund err
    /// toward counting.
    /// </summary>
    public override bool StillCounted(UserAccount reserved, UserAccount current) =>
        reserved.TwoFactor.IsEnabled == current.TwoFactor.IsEnabled
        && reserved.TwoFactor.ProtectedSecret == current.TwoFactor.ProtectedSecret
        && reserved.TwoFactor.PendingProtectedSecret == current.TwoFactor.PendingProtectedSecret
        && reserved.TwoFactor.LastAcceptedTimeStep == current.TwoFactor.LastAcceptedTimeStep
        && reserved.TwoFactor.RecoveryCodeHashes.SequenceEqual(current.TwoFactor.RecoveryCodeHashes)
        && reserved.Passkeys.SequenceEqual(current.Passkeys)
        && reserved.SpentPasskeyChallenges.SequenceEqual(current.SpentPasskeyChallenges);

    public override ValueTask WrongAsync(UserAccount user, CancellationToken cancellationToken) =>
        _events.PublishAsync(SecurityEventType.SecondFactorFailed, user.Id, user.ContractId, cancellationToken, factor: Factor);

    public override ValueTask ReplayedAsync(UserAccount user, CancellationToken cancellationToken) =>
        _events.PublishAsync(SecurityEventType.ReplayRejected, user.Id, user.ContractId, cancellationToken, factor: Factor);
}

/// <summary>
/// A TOTP code as a factor, against the active secret (or, when <c>pending</c>, the setup secret awaiting confirmation).
/// The comparison finds the matched time step; the success write accepts that step once (a step at or before the last
/// accepted one is a replay) and moves a secret protected under an old key to the current one.
/// </summary>
internal sealed class TotpStrategy : SecondFactorStrategy
{
    private readonly TotpSecrets _secrets;
    private readonly string? _code;
    private readonly bool _pending;
    private string? _protectedSecret;
    private long _step;
    private string? _reprotected;

    public TotpStrategy(TotpSecrets secrets, string? code, bool pending, SecurityEventPublisher events)
        : base(events)
    {
        _secrets = secrets;
        _code = code;
        _pending = pending;
    }

    protected override ValueTask<FactorComparison> CompareAsync(UserAccount decidedOn, UserAccount reserved, CancellationToken cancellationToken)
    {
        _protectedSecret = _pending ? reserved.TwoFactor.PendingProtectedSecret : reserved.TwoFactor.ProtectedSecret;
        var lastStep = _pending ? null : reserved.TwoFactor.LastAcceptedTimeStep;
        var outcome = _protectedSecret is null ? TotpOutcome.Invalid : _secrets.Verify(reserved.Id, _protectedSecret, _code, lastStep, out _step, out _reprotected);
        if (outcome == TotpOutcome.Invalid && _pending && ConfirmedMeanwhile(decidedOn, reserved) is { } confirmed)
        {
            // The setup this request meant to confirm was confirmed by a concurrent request before our reservation:
            // a code valid for that secret is the same code submitted twice, not a guess.
            outcome = _secrets.Verify(reserved.Id, confirmed, _code, reserved.TwoFactor.LastAcceptedTimeStep, out _, out _) == TotpOutcome.Invalid
                ? TotpOutcome.Invalid
                : TotpOutcome.Replayed;
        }

        return ValueTask.FromResult(outcome switch
        {
            TotpOutcome.Valid => FactorComparison.Match,
            TotpOutcome.Replayed => FactorComparison.Replayed,
            _ => FactorComparison.Wrong,
        });
    }

    protected override FactorAcceptance Accept(UserAccount current)
    {
        // The decisive replay check, on the state being written, so only one writer can take this step (or confirm
        // this setup).
        if (_pending
            ? current.TwoFactor.IsEnabled && current.TwoFactor.ProtectedSecret == _protectedSecret
            : current.TwoFactor.ProtectedSecret == _protectedSecret && current.TwoFactor.LastAcceptedTimeStep is { } last && _step <= last)
        {
            return FactorAcceptance.Replayed;
        }

        var secretNow = _pending ? current.TwoFactor.PendingProtectedSecret : current.TwoFactor.ProtectedSecret;
        if (secretNow != _protectedSecret)
        {
            return FactorAcceptance.Unavailable;
        }

        var twoFactor = current.TwoFactor with { LastAcceptedTimeStep = _step };
        if (_reprotected is not null)
        {
            // Key rotation: the secret moves to the current key in the same write.
            twoFactor = _pending ? twoFactor with { PendingProtectedSecret = _reprotected } : twoFactor with { ProtectedSecret = _reprotected };
        }

        return FactorAcceptance.Accept(current with { TwoFactor = twoFactor });
    }

    /// <summary>The secret of the setup <paramref name="decidedOn"/> was pending, when <paramref name="reserved"/> shows it confirmed since.</summary>
    private static string? ConfirmedMeanwhile(UserAccount decidedOn, UserAccount reserved) =>
        decidedOn.TwoFactor.PendingProtectedSecret is { } wanted
        && reserved.TwoFactor.PendingProtectedSecret is null
        && reserved.TwoFactor.IsEnabled
        && reserved.TwoFactor.ProtectedSecret == wanted
            ? wanted
            : null;
}

/// <summary>A one-time recovery code as a factor: found among the stored hashes, and spent (removed) by the success write, exactly once.</summary>
internal sealed class RecoveryCodeStrategy : SecondFactorStrategy
{
    private readonly string? _code;

    public RecoveryCodeStrategy(string? code, SecurityEventPublisher events)
        : base(events) => _code = code;

    public override ValueTask VerifiedAsync(UserAccount stored, CancellationToken cancellationToken) =>
        Events.PublishAsync(SecurityEventType.RecoveryCodeUsed, stored.Id, stored.ContractId, cancellationToken, factor: Factor);

    protected override ValueTask<FactorComparison> CompareAsync(UserAccount decidedOn, UserAccount reserved, CancellationToken cancellationToken)
    {
        if (reserved.TwoFactor.IsEnabled && RecoveryCodes.Find(reserved.TwoFactor.RecoveryCodeHashes, _code) >= 0)
        {
            return ValueTask.FromResult(FactorComparison.Match);
        }

        // Spent between the caller's read and our reservation? Then this is the same code submitted twice.
        var spentMeanwhile = decidedOn.TwoFactor.IsEnabled
            && !decidedOn.TwoFactor.RecoveryCodeHashes.SequenceEqual(reserved.TwoFactor.RecoveryCodeHashes)
            && RecoveryCodes.Find(decidedOn.TwoFactor.RecoveryCodeHashes, _code) >= 0;
        return ValueTask.FromResult(spentMeanwhile ? FactorComparison.Replayed : FactorComparison.Wrong);
    }

    protected override FactorAcceptance Accept(UserAccount current)
    {
        // Looked up again on the state being written: a code spent by a concurrent request is gone here, and that
        // request won the race.
        var index = current.TwoFactor.IsEnabled ? RecoveryCodes.Find(current.TwoFactor.RecoveryCodeHashes, _code) : -1;
        if (index < 0)
        {
            return current.TwoFactor.IsEnabled ? FactorAcceptance.Replayed : FactorAcceptance.Unavailable;
        }

        return FactorAcceptance.Accept(current with { TwoFactor = current.TwoFactor with { RecoveryCodeHashes = current.TwoFactor.RecoveryCodeHashes.RemoveAt(index) } });
    }
}
