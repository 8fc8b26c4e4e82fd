using AccountSecurity.Localization;
using AccountSecurity.Results;

namespace AccountSecurity.SupportPin;

/// <summary>What a support agent learns from checking a caller's PIN.</summary>
public enum SupportPinVerificationOutcome
{
    /// <summary>The PIN is the account's PIN: the caller is the account's user.</summary>
    Verified = 0,

    /// <summary>
    /// The PIN is wrong, or no account the agent may act on has the e-mail address or id given: unknown, deactivated
    /// and other contracts' accounts get exactly this answer (and nothing is counted for them).
    /// </summary>
    WrongPin = 1,

    /// <summary>The account exists and has no support PIN.</summary>
    NoPinSet = 2,

    /// <summary>Too many wrong PINs: verification is refused, even for the right PIN, until <see cref="SecurityResult.LockedOutUntil"/>.</summary>
    LockedOut = 3,

    /// <summary>The request itself is malformed (no agent id, no account, a PIN that is not 1 to 32 digits); nothing was checked or counted.</summary>
    InvalidInput = 4,

    /// <summary>The account was changed concurrently too often; nothing was decided, try again.</summary>
    Busy = 5,

    /// <summary>
    /// The agent id names no active support agent (see <see cref="ISupportAgentAuthorizer.IsSupportAgentAsync"/>);
    /// the same answer whatever account was named. Nothing was looked up, compared or counted.
    /// </summary>
    AgentNotAuthorized = 6,
}

/// <summary>The caller a support agent verified: the account's user and contract. Ids only, never the PIN.</summary>
/// <param name="UserId">The verified user's id.</param>
/// <param name="ContractId">The verified user's contract.</param>
public sealed record VerifiedCaller(string UserId, string ContractId);

/// <summary>
/// The answer to a support agent's PIN check, in the shape of every other result: <see cref="SecurityResult.Succeeded"/>
/// means verified (<see cref="SecurityResult{T}.Value"/> names the caller), anything else carries one error with a stable
/// code, and <see cref="Outcome"/> says which case it is. For an account that does not exist it is exactly the answer
/// for a wrong PIN. Carries ids and codes only, never the PIN.
/// </summary>
public sealed class SupportPinVerificationResult : SecurityResult<VerifiedCaller>
{
    private SupportPinVerificationResult(SupportPinVerificationOutcome outcome, VerifiedCaller? caller, SecurityError? error, DateTimeOffset? lockedUntil)
        : base(caller, error is null ? [] : [error], lockedUntil) => Outcome = outcome;

    /// <summary>What the check found.</summary>
    public SupportPinVerificationOutcome Outcome { get; }

    internal static SupportPinVerificationResult Verified(string userId, string contractId) =>
        new(SupportPinVerificationOutcome.Verified, new VerifiedCaller(userId, contractId), null, null);

    internal static SupportPinVerificationResult WrongPin(DateTimeOffset? lockedUntil = null) =>
        new(SupportPinVerificationOutcome.WrongPin, null, new SecurityError(SecurityErrorCodes.SupportPinWrong, UserMessages.SupportPinWrong), lockedUntil);

    internal static SupportPinVerificationResult NoPinSet() =>
        new(SupportPinVerificationOutcome.NoPinSet, null, new SecurityError(SecurityErrorCodes.SupportPinNotSet, UserMessages.SupportPinNotSetVerifyOtherwise), null);

    internal static SupportPinVerificationResult LockedOut(DateTimeOffset until) =>
        new(SupportPinVerificationOutcome.LockedOut, null, new SecurityError(SecurityErrorCodes.LockedOut, UserMessages.SupportPinLockedOut), until);

    internal static SupportPinVerificationResult Invalid(SecurityError error) =>
        new(SupportPinVerificationOutcome.InvalidInput, null, error, null);

    internal static SupportPinVerificationResult AgentNotAuthorized() =>
        new(SupportPinVerificationOutcome.AgentNotAuthorized, null, new SecurityError(SecurityErrorCodes.SupportAgentNotAuthorized, UserMessages.SupportAgentNotAuthorized), null);

    internal static SupportPinVerificationResult Busy() =>
        new(SupportPinVerificationOutcome.Busy, null, new SecurityError(SecurityErrorCodes.ConcurrencyConflict, UserMessages.AccountBusy), null);

    /// <summary>The machine is at its hashing capacity: nothing compared or counted (code <c>busy</c>, with its retry delay).</summary>
    internal static SupportPinVerificationResult Overloaded(SecurityError busy) =>
        new(SupportPinVerificationOutcome.Busy, null, busy, null);

    /// <inheritdoc />
    protected override bool EqualsCore(SecurityResult other) =>
        base.EqualsCore(other) && other is SupportPinVerificationResult pin && pin.Outcome == Outcome;

    /// <inheritdoc />
    public override bool Equals(object? obj) => base.Equals(obj);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Outcome);

    /// <inheritdoc />
    public override string ToString() => $"SupportPinVerificationResult {{ Outcome = {Outcome}, ErrorCode = {ErrorCode}, LockedOutUntil = {LockedOutUntil}, UserId = {(Succeeded ? Value.UserId : null)} }}";
}
