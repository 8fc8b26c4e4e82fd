using AccountSecurity.Localization;
using AccountSecurity.Results;

namespace AccountSecurity.TwoFactor.Totp;

/// <summary>Why a TOTP code was accepted or refused.</summary>
public enum TotpVerificationStatus
{
    /// <summary>Not a result of a verification (the default value of <see cref="TotpVerificationResult"/>); never a success.</summary>
    None = 0,

    /// <summary>The code matched a time step after the last accepted one.</summary>
    Success = 1,

    /// <summary>The code was missing or not exactly the configured number of digits (spaces aside).</summary>
    Malformed = 2,

    /// <summary>The code matched no time step of the drift window.</summary>
    Invalid = 3,

    /// <summary>The code matched only time steps at or before the last accepted one: a replay.</summary>
    Replayed = 4,
}

/// <summary>
/// The outcome of <see cref="ITotpProvider.Verify"/>: success with the matched time step (store it as the user's
/// last accepted step so the code cannot be used again), or the reason for refusal.
/// </summary>
/// <remarks>
/// A value type so that a verification result adds no allocation of its own. The default value is a failure
/// (<see cref="TotpVerificationStatus.None"/>). Never carries the code or the secret.
/// </remarks>
public readonly struct TotpVerificationResult
{
    private readonly long _timeStep;

    private TotpVerificationResult(TotpVerificationStatus status, long timeStep)
    {
        Status = status;
        _timeStep = timeStep;
    }

    /// <summary>The outcome.</summary>
    public TotpVerificationStatus Status { get; }

    /// <summary>Whether the code was accepted.</summary>
    public bool Succeeded => Status == TotpVerificationStatus.Success;

    /// <summary>
    /// The time step (Unix time divided by the period) the code matched; <see langword="null"/> unless
    /// <see cref="Succeeded"/>. Persist it as the last accepted step: codes at or before it are replays.
    /// </summary>
    public long? MatchedTimeStep => Succeeded ? _timeStep : null;

    /// <summary>The stable error code from <see cref="SecurityErrorCodes"/>; <see langword="null"/> on success.</summary>
    public string? ErrorCode => Status switch
    {
        TotpVerificationStatus.Success => null,
        TotpVerificationStatus.Malformed => SecurityErrorCodes.InvalidCode,
        TotpVerificationStatus.Replayed => SecurityErrorCodes.CodeReplayed,
        _ => SecurityErrorCodes.InvalidCode,
    };

    /// <summary>The failure as a <see cref="SecurityError"/>; <see langword="null"/> on success.</summary>
    public SecurityError? ToError() => Status switch
    {
        TotpVerificationStatus.Success => null,
        TotpVerificationStatus.Malformed => new SecurityError(SecurityErrorCodes.InvalidCode, UserMessages.EnterCode),
        TotpVerificationStatus.Replayed => new SecurityError(SecurityErrorCodes.CodeReplayed, UserMessages.CodeReplayedShort),
        _ => new SecurityError(SecurityErrorCodes.InvalidCode, UserMessages.CodeInvalid),
    };

    internal static TotpVerificationResult Success(long timeStep) => new(TotpVerificationStatus.Success, timeStep);

    internal static TotpVerificationResult Failure(TotpVerificationStatus status) => new(status, 0);

    /// <summary>Describes the outcome without the code or the secret.</summary>
    public override string ToString() =>
        Succeeded ? $"Succeeded (time step {_timeStep})" : $"Failed: {ErrorCode}";
}
