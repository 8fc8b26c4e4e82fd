using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Lockout;
using AccountSecurity.Verification;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.SupportPin;

/// <summary>
/// The support PIN as a factor, verified by a support agent (whose id the lock event carries): compared with the
/// stored bcrypt hash; success upgrades an old hash in the success write.
/// </summary>
internal sealed class SupportPinStrategy : FactorStrategy
{
    private readonly ISupportPinHasher _hasher;
    private readonly string _pin;
    private readonly string _agentId;
    private readonly ILogger _logger;
    private string? _verifiedHash;

    public SupportPinStrategy(ISupportPinHasher hasher, string pin, string agentId, ILogger logger)
    {
        _hasher = hasher;
        _pin = pin;
        _agentId = agentId;
        _logger = logger;
    }

    public override AuthenticationFactor Factor => AuthenticationFactor.SupportPin;

    public override string? ActorId => _agentId;

    /// <summary>The upgraded hash the success wrote, when the stored one used an old cost or scheme.</summary>
    public string? Upgraded { get; private set; }

    protected override ValueTask<FactorComparison> CompareAsync(UserAccount decidedOn, UserAccount reserved, CancellationToken cancellationToken)
    {
        var check = reserved.SupportPinHash is null ? SupportPinHashCheck.Failed : _hasher.Verify(reserved.SupportPinHash, _pin);
        if (check == SupportPinHashCheck.Malformed)
        {
            Log.MalformedSupportPinHash(_logger, reserved.Id);
        }

        if (check is not (SupportPinHashCheck.Success or SupportPinHashCheck.SuccessRehashNeeded))
        {
            return ValueTask.FromResult(FactorComparison.Wrong);
        }

        Upgraded = check == SupportPinHashCheck.SuccessRehashNeeded ? _hasher.Hash(_pin) : null;
        _verifiedHash = reserved.SupportPinHash;
        return ValueTask.FromResult(FactorComparison.Match);
    }

    // The PIN changed or vanished after we compared: what was verified is no longer the PIN.
    protected override FactorAcceptance Accept(UserAccount current) =>
        current.SupportPinHash != _verifiedHash
            ? FactorAcceptance.Unavailable
            : FactorAcceptance.Accept(Upgraded is null ? current : current with { SupportPinHash = Upgraded });
}
