using AccountSecurity.Diagnostics;
using AccountSecurity.Lockout;

namespace AccountSecurity.Events;

/// <summary>
/// One audited security event. It carries ids, codes and times only: never a password, code, PIN, secret,
/// token or hash, so a sink may store or forward it as it is.
/// </summary>
public sealed record SecurityEvent
{
    /// <summary>What happened.</summary>
    public required SecurityEventType Type { get; init; }

    /// <summary>When it happened (from the configured <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The user the event is about; <see langword="null"/> when the account is unknown.</summary>
    public string? UserId { get; init; }

    /// <summary>The user's contract, when known.</summary>
    public string? ContractId { get; init; }

    /// <summary>Who acted when it was not the user: an administrator, the owner, or a support agent's id.</summary>
    public string? ActorId { get; init; }

    /// <summary>The factor involved, if any.</summary>
    public AuthenticationFactor? Factor { get; init; }

    /// <summary>
    /// The server-side session (<see cref="Sessions.SessionRecord.Id"/>, its public id, never its secret) the event came
    /// from, when it came from one; <see langword="null"/> otherwise. Lets a notification name the device and address.
    /// </summary>
    public string? SessionId { get; init; }

    /// <summary>A stable outcome or error code (for example <c>wrong_password</c>); never free text from user input.</summary>
    public string? Outcome { get; init; }

    /// <summary>
    /// The event as one line of text. Every text value is escaped and bounded (control, line-separator, invisible and
    /// bidi characters as <c>\uXXXX</c>, at most 256 characters each), so even an event a host built itself with
    /// hostile ids cannot forge a line or grow without bound. Never contains a secret (an event carries none).
    /// </summary>
    public override string ToString() =>
        $"SecurityEvent {{ Type = {Type}, OccurredAt = {OccurredAt:O}, UserId = {LogValue.Escape(UserId)}, ContractId = {LogValue.Escape(ContractId)}, ActorId = {LogValue.Escape(ActorId)}, SessionId = {LogValue.Escape(SessionId)}, Factor = {Factor}, Outcome = {LogValue.Escape(Outcome)} }}";
}
