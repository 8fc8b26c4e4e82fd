using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Verification;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Passwords;

/// <summary>
/// The password as a factor: compared with the stored bcrypt hash; success upgrades an old hash in the success write
/// (the hashing happens here, before the write, so the write's decision stays quick and pure). When no comparison is
/// made at all, the same hashing work is spent on a dummy, so no answer is faster than a wrong password.
/// </summary>
internal sealed class PasswordStrategy : HashedSecretStrategy
{
    private readonly IPasswordHasher _hasher;
    private readonly string? _password;
    private readonly SecurityEventPublisher _events;
    private readonly ILogger _logger;
    private readonly CountingTime _counting;

    public PasswordStrategy(HashingLimiter hashing, IPasswordHasher hasher, string? password, SecurityEventPublisher events, ILogger logger, CountingTime counting)
        : base(hashing)
    {
        _hasher = hasher;
        _password = password;
        _events = events;
        _logger = logger;
        _counting = counting;
    }

    public override AuthenticationFactor Factor => AuthenticationFactor.Password;

    // Locked, vanished, or the store stayed busy: nothing was counted, so the dummy takes a count's time too, or a lock
    // would answer faster than a wrong guess and than an unknown e-mail, telling that the account exists.
    public override async ValueTask NoComparisonAsync(CancellationToken cancellationToken) =>
        await ComputeAsync(() =>
        {
            PasswordVerifier.DummyCheck(_hasher, _counting, _password);
            return true;
        }).ConfigureAwait(false);

    public override async ValueTask VerifiedAsync(UserAccount stored, CancellationToken cancellationToken)
    {
        if (Upgraded is not null)
        {
            await _events.PublishAsync(SecurityEventType.PasswordRehashed, stored.Id, stored.ContractId, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override string? StoredHash(UserAccount user) => user.PasswordHash;

    protected override UserAccount WithHash(UserAccount user, string hash) => user with { PasswordHash = hash };

    /// <remarks>
    /// A stored hash that cannot be checked (malformed, or costlier than <see cref="PasswordHashingOptions.MaximumWorkFactor"/>)
    /// is told to the operator in the log and answered as a wrong password, counted like one: the user must learn
    /// nothing more from it (an uncounted answer would never lock, and so would tell such accounts apart), and counting
    /// takes nothing from the owner, whose password cannot verify against that hash anyway; a password reset replaces
    /// the hash and clears the count.
    /// </remarks>
    protected override HashMatch Verify(UserAccount reserved)
    {
        var verification = _hasher.Verify(reserved.PasswordHash, _password);
        if (verification == PasswordVerificationResult.MalformedHash && reserved.PasswordHash is not null)
        {
            Log.MalformedPasswordHash(_logger, reserved.Id);
        }
        else if (verification == PasswordVerificationResult.HashCostTooHigh)
        {
            Log.PasswordHashCostTooHigh(_logger, reserved.Id, SecurityErrorCodes.StoredHashCostTooHigh);
        }

        return verification switch
        {
            PasswordVerificationResult.Success => HashMatch.Match,
            PasswordVerificationResult.SuccessRehashNeeded => HashMatch.MatchRehashNeeded,
            _ => HashMatch.Wrong,
        };
    }

    protected override string? Rehash()
    {
        var rehash = _hasher.Hash(_password);
        return rehash.Succeeded ? rehash.Value : null;
    }
}
