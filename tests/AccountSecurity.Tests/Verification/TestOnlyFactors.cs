using AccountSecurity.Accounts;
using AccountSecurity.Lockout;
using AccountSecurity.Verification;

namespace AccountSecurity.Tests.Verification;

/// <summary>
/// A fifth factor that exists only here: a security question whose answer the "host" keeps (a constant). It is one
/// <see cref="FactorStrategy"/> subclass and one <see cref="AuthenticationFactor"/> value (a number no release
/// defines), with its own lockout settings; it gets the pipeline's counting, lock, events and re-checked write with no
/// change to src/.
/// </summary>
internal sealed class SecurityQuestionStrategy : FactorStrategy
{
    public const AuthenticationFactor Factor99 = (AuthenticationFactor)99;

    private const string Expected = "the blue heron";
    private readonly string _answer;

    public SecurityQuestionStrategy(string answer) => _answer = answer;

    public static FactorLockoutOptions Options { get; } = new() { MaxFailedAttempts = 3 };

    public override AuthenticationFactor Factor => Factor99;

    public override FactorLockoutOptions LockoutOptions(LockoutOptions options) => Options;

    protected override ValueTask<FactorComparison> CompareAsync(UserAccount decidedOn, UserAccount reserved, CancellationToken cancellationToken) =>
        ValueTask.FromResult(
            System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(_answer), System.Text.Encoding.UTF8.GetBytes(Expected))
                ? FactorComparison.Match
                : FactorComparison.Wrong);

    protected override FactorAcceptance Accept(UserAccount current) => FactorAcceptance.Accept(current);
}

/// <summary>
/// Wraps a factor's real strategy to count its comparisons (the seam the pipeline rule tests count through), to run
/// something between the comparison and the success write, or to refuse the comparison as busy (a limiter's answer).
/// </summary>
internal sealed class CountingStrategy : FactorStrategy
{
    private readonly FactorStrategy _inner;
    private readonly Action _compared;
    private readonly Func<Task>? _afterCompare;
    private readonly bool _refuse;

    public CountingStrategy(FactorStrategy inner, Action compared, Func<Task>? afterCompare = null, bool refuse = false)
    {
        _inner = inner;
        _compared = compared;
        _afterCompare = afterCompare;
        _refuse = refuse;
    }

    public override AuthenticationFactor Factor => _inner.Factor;

    public override string? ActorId => _inner.ActorId;

    public override FactorLockoutOptions LockoutOptions(LockoutOptions options) => _inner.LockoutOptions(options);

    public override ValueTask<AccountSecurity.Passwords.Hashing.HashingLease?> AcquireCapacityAsync(UserAccount user, CancellationToken cancellationToken) => _inner.AcquireCapacityAsync(user, cancellationToken);

    public override ValueTask NoComparisonAsync(CancellationToken cancellationToken) => _inner.NoComparisonAsync(cancellationToken);

    public override bool StillCounted(UserAccount reserved, UserAccount current) => _inner.StillCounted(reserved, current);

    public override ValueTask WrongAsync(UserAccount user, CancellationToken cancellationToken) => _inner.WrongAsync(user, cancellationToken);

    public override ValueTask ReplayedAsync(UserAccount user, CancellationToken cancellationToken) => _inner.ReplayedAsync(user, cancellationToken);

    public override ValueTask VerifiedAsync(UserAccount stored, CancellationToken cancellationToken) => _inner.VerifiedAsync(stored, cancellationToken);

    protected override async ValueTask<FactorComparison> CompareAsync(UserAccount decidedOn, UserAccount reserved, CancellationToken cancellationToken)
    {
        if (_refuse)
        {
            return FactorComparison.Busy;
        }

        _compared();

        // The pipeline handed this wrapper a reservation that stands; the inner strategy gets the same one.
        var result = await _inner.CompareReservedAsync(decidedOn, new FactorReservation(ReservationStatus.Reserved, reserved, null, false, default), cancellationToken);
        if (_afterCompare is not null)
        {
            await _afterCompare();
        }

        return result;
    }

    protected override FactorAcceptance Accept(UserAccount current) => _inner.AcceptMatched(current);
}
