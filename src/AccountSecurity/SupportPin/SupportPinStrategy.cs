using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Lockout;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Results;
using AccountSecurity.Verification;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.SupportPin;

/// <summary>
/// The support PIN as a factor, verified by a support agent (whose id the lock event carries): compared with the
/// stored bcrypt hash; success upgrades an old hash in the success write.
/// </summary>
internal sealed class SupportPinStrategy : HashedSecretStrategy
{
    private readonly ISupportPinHasher _hasher;
    private readonly string _pin;
    private readonly string _agentId;
    private readonly ILogger _logger;

    public SupportPinStrategy(HashingLimiter hashing, ISupportPinHasher hasher, string pin, string agentId, ILogger logger)
        : base(hashing)
    {
        _hasher = hasher;
        _pin = pin;
        _agentId = agentId;
        _logger = logger;
    }

    public override AuthenticationFactor Factor => AuthenticationFactor.SupportPin;

    public override string? ActorId => _agentId;

    protected override string? StoredHash(UserAccount user) => user.SupportPinHash;

    protected override UserAccount WithHash(UserAccount user, string hash) => user with { SupportPinHash = hash };

    protected override HashMatch Verify(UserAccount reserved)
    {
        var check = reserved.SupportPinHash is null ? SupportPinHashCheck.Failed : _hasher.Verify(reserved.SupportPinHash, _pin);
        if (check == SupportPinHashCheck.Malformed)
        {
            Log.MalformedSupportPinHash(_logger, reserved.Id);
        }
        else if (check == SupportPinHashCheck.CostTooHigh)
        {
            // Answered and counted as a wrong PIN, as the password's is (see PasswordStrategy.Verify for why).
            Log.SupportPinHashCostTooHigh(_logger, reserved.Id, SecurityErrorCodes.StoredHashCostTooHigh);
        }

        return check switch
        {
            SupportPinHashCheck.Success => HashMatch.Match,
            SupportPinHashCheck.SuccessRehashNeeded => HashMatch.MatchRehashNeeded,
            _ => HashMatch.Wrong,
        };
    }

    protected override string? Rehash() => _hasher.Hash(_pin);
}
