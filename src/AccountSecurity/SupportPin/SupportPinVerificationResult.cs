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

    /// <summary>Too many wrong PINs: verification is refused, even for the right PIN, until <see cref="SupportPinVerificationResult.LockedUntil"/>.</summary>
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

/// <summary>
/// The answer to a support agent's PIN check. For an account that does not exist it is exactly the answer for a
/// wrong PIN. Carries ids and codes only, never the PIN.
/// </summary>
public sealed record SupportPinVerificationResult
{
    private SupportPinVerificationResult(SupportPinVerificationOutcome outcome, string code, string message, DateTimeOffset? lockedUntil, string? userId, string? contractId)
    {
        Outcome = outcome;
        Code = code;
        Message = message;
        LockedUntil = lockedUntil;
        UserId = userId;
        ContractId = contractId;
    }

    /// <summary>What the check found.</summary>
    public SupportPinVerificationOutcome Outcome { get; }

    /// <summary>
    /// A stable code: <see cref="SupportPinOutcomeCodes.Verified"/>, <see cref="SupportPinErrorCodes.Wrong"/>,
    /// <see cref="SupportPinErrorCodes.NotSet"/>, <see cref="SecurityErrorCodes.LockedOut"/>,
    /// <see cref="SecurityErrorCodes.ConcurrencyConflict"/>, <see cref="SecurityErrorCodes.Busy"/>, <see cref="SupportPinErrorCodes.AgentNotAuthorized"/> or the code of the malformed input.
    /// </summary>
    public string Code { get; }

    /// <summary>An English sentence for the agent; hosts may localise by <see cref="Code"/>.</summary>
    public string Message { get; }

    /// <summary>
    /// When verification opens again: set for <see cref="SupportPinVerificationOutcome.LockedOut"/>, and for the
    /// <see cref="SupportPinVerificationOutcome.WrongPin"/> answer whose failure locked it.
    /// </summary>
    public DateTimeOffset? LockedUntil { get; }

    /// <summary>The verified user's id; only for <see cref="SupportPinVerificationOutcome.Verified"/>.</summary>
    public string? UserId { get; }

    /// <summary>The verified user's contract; only for <see cref="SupportPinVerificationOutcome.Verified"/>.</summary>
    public string? ContractId { get; }

    /// <summary>Whether the caller is verified.</summary>
    public bool IsVerified => Outcome == SupportPinVerificationOutcome.Verified;

    internal static SupportPinVerificationResult Verified(string userId, string contractId) =>
        new(SupportPinVerificationOutcome.Verified, SupportPinOutcomeCodes.Verified, "The PIN is correct: the caller is the account's user.", null, userId, contractId);

    internal static SupportPinVerificationResult WrongPin(DateTimeOffset? lockedUntil = null) =>
        new(SupportPinVerificationOutcome.WrongPin, SupportPinErrorCodes.Wrong, "The PIN is not correct for this account.", lockedUntil, null, null);

    internal static SupportPinVerificationResult NoPinSet() =>
        new(SupportPinVerificationOutcome.NoPinSet, SupportPinErrorCodes.NotSet, "This account has no support PIN. Verify the caller another way.", null, null, null);

    internal static SupportPinVerificationResult LockedOut(DateTimeOffset until) =>
        new(SupportPinVerificationOutcome.LockedOut, SecurityErrorCodes.LockedOut, "Too many wrong PINs: verification for this account is locked for now.", until, null, null);

    internal static SupportPinVerificationResult Invalid(SecurityError error) =>
        new(SupportPinVerificationOutcome.InvalidInput, error.Code, error.Message, null, null, null);

    internal static SupportPinVerificationResult AgentNotAuthorized() =>
        new(SupportPinVerificationOutcome.AgentNotAuthorized, SupportPinErrorCodes.AgentNotAuthorized, "This agent is not authorized to verify support PINs.", null, null, null);

    internal static SupportPinVerificationResult Busy() =>
        new(SupportPinVerificationOutcome.Busy, SecurityErrorCodes.ConcurrencyConflict, "The account is busy with another request. Try again.", null, null, null);

    /// <summary>The machine is at its hashing capacity: nothing compared or counted (code <c>busy</c>).</summary>
    internal static SupportPinVerificationResult Overloaded(SecurityError busy) =>
        new(SupportPinVerificationOutcome.Busy, busy.Code, busy.Message, null, null, null) { RetryAfter = busy.RetryAfter };

    /// <summary>For the <c>busy</c> answer of a machine at its hashing capacity: how long to wait before trying again; otherwise <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <inheritdoc />
    public override string ToString() => $"SupportPinVerificationResult {{ Outcome = {Outcome}, Code = {Code}, LockedUntil = {LockedUntil}, UserId = {UserId} }}";
}
