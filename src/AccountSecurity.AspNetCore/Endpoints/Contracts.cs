using System.Text.Json;
using System.Text.Json.Serialization;
using AccountSecurity.Passwords.Policy;

namespace AccountSecurity.AspNetCore.Endpoints;

// Request and response bodies of the JSON endpoints. Classes, not records: a record's generated ToString would print
// a password or code if one were ever logged.
#pragma warning disable SA1402, CA1812 // Small DTOs kept together; instantiated by the JSON source generator.

internal sealed class ProblemBody
{
    public string? Type { get; set; }

    public string? Title { get; set; }

    public int Status { get; set; }

    public string? Detail { get; set; }

    public string? Code { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ProblemError>? Errors { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LockedOutUntil { get; set; }
}

internal sealed class ProblemError
{
    public string? Code { get; set; }

    public string? Message { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; set; }
}

internal sealed class PasswordSignInRequest
{
    public string? Email { get; set; }

    public string? Password { get; set; }
}

internal sealed class CodeRequest
{
    public string? Code { get; set; }
}

internal sealed class RecoveryCodeRequest
{
    public string? RecoveryCode { get; set; }
}

internal sealed class PasswordChangeRequest
{
    public string? CurrentPassword { get; set; }

    public string? NewPassword { get; set; }

    public string? NewPasswordRepeated { get; set; }

    /// <summary>Whether every other session of the user ends with the change (ASVS V7.4.3); absent means yes.</summary>
    public bool SignOutOtherSessions { get; set; } = true;
}

internal sealed class ResetRequest
{
    public string? Email { get; set; }
}

internal sealed class ResetCompleteRequest
{
    public string? Email { get; set; }

    public string? Token { get; set; }

    public string? NewPassword { get; set; }

    public string? NewPasswordRepeated { get; set; }
}

internal sealed class PasswordAndCodeRequest
{
    public string? CurrentPassword { get; set; }

    public string? Code { get; set; }

    /// <summary>Whether every other session of the user ends with the change (ASVS V7.4.3); absent means yes. Not read by the setup's first step, which changes nothing yet.</summary>
    public bool SignOutOtherSessions { get; set; } = true;
}

internal sealed class TwoFactorConfirmRequest
{
    public string? Code { get; set; }

    /// <summary>Whether every other session of the user ends when 2FA is switched on (ASVS V7.4.3); absent means yes.</summary>
    public bool SignOutOtherSessions { get; set; } = true;
}

internal sealed class SessionListResponse
{
    public IReadOnlyList<SessionItem> Sessions { get; set; } = [];
}

internal sealed class SessionItem
{
    public string Id { get; set; } = string.Empty;

    public string? DeviceLabel { get; set; }

    public string? ClientAddress { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public IReadOnlyList<string> Methods { get; set; } = [];

    public bool SecondFactor { get; set; }

    public bool Current { get; set; }
}

internal sealed class SessionsEndedResponse
{
    public int Ended { get; set; }
}

/// <summary>An absent member takes the host's default; an explicit <c>null</c> is refused as not the contract (<see cref="NullGiven"/>).</summary>
internal sealed class SessionPolicyRequest
{
    private int? _idleTimeoutMinutes;
    private int? _absoluteLifetimeMinutes;
    private int? _maxSessionsPerUser;

    public int? IdleTimeoutMinutes { get => _idleTimeoutMinutes; set => _nullGiven |= (_idleTimeoutMinutes = value) is null; }

    public int? AbsoluteLifetimeMinutes { get => _absoluteLifetimeMinutes; set => _nullGiven |= (_absoluteLifetimeMinutes = value) is null; }

    public int? MaxSessionsPerUser { get => _maxSessionsPerUser; set => _nullGiven |= (_maxSessionsPerUser = value) is null; }

    private bool _nullGiven;

    /// <summary>Whether the body gave a member as <c>null</c>.</summary>
    public bool NullGiven() => _nullGiven;
}

internal sealed class SessionPolicyResponse
{
    public int IdleTimeoutMinutes { get; set; }

    public int AbsoluteLifetimeMinutes { get; set; }

    public int MaxSessionsPerUser { get; set; }

    public int MinIdleTimeoutMinutes { get; set; }

    public int MaxIdleTimeoutMinutes { get; set; }

    public int MinAbsoluteLifetimeMinutes { get; set; }

    public int MaxAbsoluteLifetimeMinutes { get; set; }

    public int MaxSessionsPerUserLimit { get; set; }
}

internal sealed class SupportPinSetRequest
{
    public string? CurrentPassword { get; set; }

    public string? Pin { get; set; }

    public string? PinRepeated { get; set; }
}

internal sealed class CurrentPasswordRequest
{
    public string? CurrentPassword { get; set; }
}

internal sealed class ForceTwoFactorRequest
{
    public bool Forced { get; set; }
}

internal sealed class SupportPinVerifyRequest
{
    public string? Email { get; set; }

    public string? UserId { get; set; }

    public string? Pin { get; set; }
}

internal sealed class SignInResponse
{
    public string Status { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? RecoveryCodes { get; set; }
}

internal sealed class SetupResponse
{
    public string ManualEntryKey { get; set; } = string.Empty;

    public string OtpAuthUri { get; set; } = string.Empty;

    public string QrCodeSvg { get; set; } = string.Empty;
}

internal sealed class RecoveryCodesResponse
{
    public IReadOnlyList<string> RecoveryCodes { get; set; } = [];
}

internal sealed class SessionResponse
{
    public string UserId { get; set; } = string.Empty;

    public string ContractId { get; set; } = string.Empty;

    public IReadOnlyList<string> Amr { get; set; } = [];

    public DateTimeOffset AuthenticatedAt { get; set; }

    public bool SecondFactor { get; set; }

    /// <summary>The session reaches nothing but the password change until the password is changed (found in a breach).</summary>
    public bool PasswordChangeRequired { get; set; }

    /// <summary>The session reaches nothing but the 2FA setup until a second factor is set up (forced by an administrator).</summary>
    public bool TwoFactorSetupRequired { get; set; }
}

internal sealed class ReauthenticateRequest
{
    public string? Password { get; set; }

    public string? Code { get; set; }
}

internal sealed class ReauthenticationStatusResponse
{
    /// <summary>Whether sensitive changes are accepted now without a password in the request.</summary>
    public bool Fresh { get; set; }

    public DateTimeOffset? FreshUntil { get; set; }

    /// <summary>The ways this account re-authenticates: <c>passkey</c>, <c>password_and_code</c>, <c>password</c>.</summary>
    public IReadOnlyList<string> Methods { get; set; } = [];
}

internal sealed class ReauthenticatedResponse
{
    public DateTimeOffset FreshUntil { get; set; }
}

internal sealed class TwoFactorStatusResponse
{
    public bool IsEnabled { get; set; }

    public bool IsForced { get; set; }

    public bool SetupPending { get; set; }

    public int RecoveryCodesLeft { get; set; }
}

internal sealed class SupportPinStatusResponse
{
    public bool IsSet { get; set; }

    public DateTimeOffset? SetAt { get; set; }

    public DateTimeOffset? VerificationLockedUntil { get; set; }
}

internal sealed class SupportPinVerifiedResponse
{
    public bool Verified { get; set; }

    public string? UserId { get; set; }

    public string? ContractId { get; set; }
}

internal sealed class AntiforgeryResponse
{
    public string HeaderName { get; set; } = string.Empty;

    public string Token { get; set; } = string.Empty;
}

internal sealed class AcceptedResponse
{
    public string Status { get; set; } = "accepted";
}

/// <summary>Source-generated JSON for every body of the endpoints: no reflection, so trimming and Native AOT work.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(PasswordSignInRequest))]
[JsonSerializable(typeof(CodeRequest))]
[JsonSerializable(typeof(RecoveryCodeRequest))]
[JsonSerializable(typeof(PasswordChangeRequest))]
[JsonSerializable(typeof(ResetRequest))]
[JsonSerializable(typeof(ResetCompleteRequest))]
[JsonSerializable(typeof(PasswordAndCodeRequest))]
[JsonSerializable(typeof(TwoFactorConfirmRequest))]
[JsonSerializable(typeof(SessionListResponse))]
[JsonSerializable(typeof(SessionsEndedResponse))]
[JsonSerializable(typeof(SessionPolicyRequest))]
[JsonSerializable(typeof(SessionPolicyResponse))]
[JsonSerializable(typeof(SupportPinSetRequest))]
[JsonSerializable(typeof(CurrentPasswordRequest))]
[JsonSerializable(typeof(ForceTwoFactorRequest))]
[JsonSerializable(typeof(SupportPinVerifyRequest))]
[JsonSerializable(typeof(SignInResponse))]
[JsonSerializable(typeof(SetupResponse))]
[JsonSerializable(typeof(RecoveryCodesResponse))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(TwoFactorStatusResponse))]
[JsonSerializable(typeof(ReauthenticateRequest))]
[JsonSerializable(typeof(ReauthenticationStatusResponse))]
[JsonSerializable(typeof(ReauthenticatedResponse))]
[JsonSerializable(typeof(SupportPinStatusResponse))]
[JsonSerializable(typeof(SupportPinVerifiedResponse))]
[JsonSerializable(typeof(AntiforgeryResponse))]
[JsonSerializable(typeof(AcceptedResponse))]
[JsonSerializable(typeof(PasswordPolicySettings))]
[JsonSerializable(typeof(InviteUserRequest))]
[JsonSerializable(typeof(AcceptInvitationRequest))]
[JsonSerializable(typeof(RegisterRequest))]
internal sealed partial class AccountSecurityJsonContext : JsonSerializerContext;

internal sealed class InviteUserRequest
{
    public string? Email { get; set; }

    /// <summary><c>user</c> (the default) or <c>administrator</c>.</summary>
    public string? Role { get; set; }
}

internal sealed class AcceptInvitationRequest
{
    public string? Token { get; set; }

    public string? Password { get; set; }

    public string? PasswordRepeated { get; set; }
}

internal sealed class RegisterRequest
{
    public string? Email { get; set; }

    public string? ContractName { get; set; }
}
#pragma warning restore SA1402, CA1812
