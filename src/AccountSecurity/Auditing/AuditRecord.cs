using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Lockout;

namespace AccountSecurity.Auditing;

/// <summary>
/// One stored security event of the audit trail (<see cref="IAuditTrailService"/>): when, what, who acted, on whom, in
/// which contract, the outcome, the device and client address of the session it came from, the session, a correlation
/// id, and its link in the contract's hash chain (<see cref="AuditChain"/>).
/// </summary>
/// <remarks>
/// Every member is typed: ids, enums, instants, a hash, an outcome <em>code</em> and two labels the host recorded on
/// the session (device, client address). There is no free-text member, so no password, code, PIN, secret or token can
/// land in a record; the writer keeps an outcome only when it looks like a code (<see cref="IsOutcomeCode"/>).
/// Records are immutable once written; a store never updates one (retention deletes the oldest, see
/// <see cref="AuditChainHead.AnchorHash"/>).
/// </remarks>
public sealed record AuditRecord
{
    /// <summary>The longest outcome code kept (<c>pwd+otp+mfa</c>, <c>wrong_password</c>).</summary>
    public const int MaxOutcomeLength = 64;

    /// <summary>The longest device label kept (as a session keeps it).</summary>
    public const int MaxDeviceLabelLength = 100;

    /// <summary>The longest client address kept (as a session keeps it).</summary>
    public const int MaxClientAddressLength = 64;

    /// <summary>The contract id of events that name no contract (an unknown account's failed sign-in): their own chain, which no session can query.</summary>
    public const string NoContract = "";

    /// <summary>The contract whose chain the record belongs to (<see cref="NoContract"/> when the event named none).</summary>
    public required string ContractId { get; init; }

    /// <summary>The record's place in its contract's chain: 1, 2, 3… with no gap (a gap is a deleted row). 0 before it is appended.</summary>
    public long Sequence { get; init; }

    /// <summary>When the event happened (from the configured <see cref="TimeProvider"/>); stored to the tick.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>What happened.</summary>
    public required SecurityEventType EventType { get; init; }

    /// <summary>The account the event is about (on whom); <see langword="null"/> when unknown.</summary>
    public string? UserId { get; init; }

    /// <summary>Who acted when it was not the user: an administrator, the owner, a support agent; <see langword="null"/> when the user acted.</summary>
    public string? ActorId { get; init; }

    /// <summary>The factor involved, if any.</summary>
    public AuthenticationFactor? Factor { get; init; }

    /// <summary>How a session was signed in (for a record of a session's start, and of a completed sign-in); <see cref="AuditSignInMethods.None"/> otherwise.</summary>
    public AuditSignInMethods SignInMethods { get; init; }

    /// <summary>A stable outcome or error code (<c>wrong_password</c>, <c>mfa</c>); never free text.</summary>
    public string? Outcome { get; init; }

    /// <summary>The server-side session the event came from (its public id, never its secret); <see langword="null"/> when none.</summary>
    public string? SessionId { get; init; }

    /// <summary>The device label of that session ("Firefox on Windows"), as the host recorded it; <see langword="null"/> when unknown.</summary>
    public string? DeviceLabel { get; init; }

    /// <summary>The client address of that session, as the host recorded it (it may anonymise it); <see langword="null"/> when unknown. Personal data.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The W3C trace id (32 lower-case hex digits) of the operation, when it ran in a trace; <see langword="null"/> otherwise.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The <see cref="Hash"/> of the record before it in the chain (or the chain's anchor); 64 lower-case hex digits.</summary>
    public string PreviousHash { get; init; } = "";

    /// <summary>SHA-256 over the record's canonical encoding and <see cref="PreviousHash"/> (<see cref="AuditChain.ComputeHash"/>); 64 lower-case hex digits.</summary>
    public string Hash { get; init; } = "";

    /// <summary>Whether <paramref name="outcome"/> looks like a code: 1 to <see cref="MaxOutcomeLength"/> of <c>a-z 0-9 _ + - .</c>.</summary>
    public static bool IsOutcomeCode(string? outcome)
    {
        if (string.IsNullOrEmpty(outcome) || outcome.Length > MaxOutcomeLength)
        {
            return false;
        }

        foreach (var c in outcome)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The record as one line; every text escaped and bounded. Never prints the client address (personal data).</summary>
    public override string ToString() =>
        $"AuditRecord {{ ContractId = {LogValue.Escape(ContractId)}, Sequence = {Sequence}, OccurredAt = {OccurredAt:O}, EventType = {EventType}, UserId = {LogValue.Escape(UserId)}, ActorId = {LogValue.Escape(ActorId)}, Outcome = {LogValue.Escape(Outcome)}, Hash = {Hash} }}";
}

/// <summary>How a session was signed in, as flags (the session's <c>amr</c> values); stable values.</summary>
[Flags]
public enum AuditSignInMethods
{
    /// <summary>Not a sign-in, or not known.</summary>
    None = 0,

    /// <summary>A password (<c>pwd</c>).</summary>
    Password = 1,

    /// <summary>An authenticator app's code (<c>otp</c>).</summary>
    AuthenticatorApp = 2,

    /// <summary>A recovery code (<c>rec</c>).</summary>
    RecoveryCode = 4,

    /// <summary>A passkey, device-bound or synced (<c>hwk</c>, <c>swk</c>).</summary>
    Passkey = 8,

    /// <summary>More than one factor (<c>mfa</c>).</summary>
    MultiFactor = 16,
}
