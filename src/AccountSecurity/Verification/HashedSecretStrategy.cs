using AccountSecurity.Accounts;
using AccountSecurity.Passwords.Hashing;

namespace AccountSecurity.Verification;

/// <summary>What a hash comparison found.</summary>
internal enum HashMatch
{
    Wrong,
    Match,
    MatchRehashNeeded,
}

/// <summary>
/// A factor whose secret is stored as a hash (the password, the support PIN): the comparison remembers the hash it
/// matched and, when the stored hash uses an old cost or scheme, hashes the secret anew (before the write, so the
/// write's decision stays quick and pure); the success write then requires that very hash to still be stored (what
/// was verified must still be the secret) and upgrades it in the same write.
/// </summary>
internal abstract class HashedSecretStrategy : FactorStrategy
{
    private readonly HashingLimiter _hashing;
    private HashingLease? _turn;
    private string? _verifiedHash;

    protected HashedSecretStrategy(HashingLimiter hashing) => _hashing = hashing;

    /// <summary>The upgraded hash the success writes, when the stored one used an old cost or scheme.</summary>
    public string? Upgraded { get; private set; }

    /// <summary>The factor's stored hash on <paramref name="user"/>.</summary>
    protected abstract string? StoredHash(UserAccount user);

    /// <summary><paramref name="user"/> with <paramref name="hash"/> stored as the factor's hash.</summary>
    protected abstract UserAccount WithHash(UserAccount user, string hash);

    /// <summary>Compares the submitted secret with the hash stored on <paramref name="reserved"/>.</summary>
    protected abstract HashMatch Verify(UserAccount reserved);

    /// <summary>A new hash of the submitted secret under the current settings; <see langword="null"/> when it cannot be made (the old hash stays).</summary>
    protected abstract string? Rehash();

    /// <summary>
    /// A turn at the hashing limiter in <paramref name="user"/>'s one place (<see cref="HashingAccountKey"/>), held by the
    /// pipeline across counting and comparing: while it is held, every other hashed check of the same account (this
    /// factor or another, sign-in or re-authentication) is answered busy before anything is counted.
    /// </summary>
    public sealed override async ValueTask<HashingLease?> AcquireCapacityAsync(UserAccount user, CancellationToken cancellationToken) =>
        _turn = await _hashing.AcquireAsync(HashingAccountKey.Of(user), cancellationToken).ConfigureAwait(false);

    protected sealed override async ValueTask<FactorComparison> CompareAsync(UserAccount decidedOn, UserAccount reserved, CancellationToken cancellationToken)
    {
        // The comparison, and the rehash a match may need, run in the turn the pipeline holds, off the thread pool.
        var (match, upgraded) = await ComputeAsync(() =>
        {
            var found = Verify(reserved);
            return (found, found == HashMatch.MatchRehashNeeded ? Rehash() : null);
        }).ConfigureAwait(false);
        if (match == HashMatch.Wrong)
        {
            return FactorComparison.Wrong;
        }

        Upgraded = upgraded;
        _verifiedHash = StoredHash(reserved);
        return FactorComparison.Match;
    }

    /// <summary>Runs hashing work in the turn the pipeline holds for this verification.</summary>
    protected Task<T> ComputeAsync<T>(Func<T> computation) =>
        _turn is { Granted: true } turn
            ? turn.RunAsync(computation)
            : throw new InvalidOperationException("A hashed secret is computed only in the hashing turn the pipeline holds.");

    // The secret changed (or vanished) under us: what was verified is no longer the factor's secret.
    protected sealed override FactorAcceptance Accept(UserAccount current) =>
        StoredHash(current) != _verifiedHash
            ? FactorAcceptance.Unavailable
            : FactorAcceptance.Accept(Upgraded is null ? current : WithHash(current, Upgraded));
}
