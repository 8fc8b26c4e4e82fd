using System.Text.Json.Serialization.Metadata;
using AccountSecurity.Results;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.AspNetCore.Endpoints;

/// <summary>
/// Names the request member a validation error is about, so a client can put the message next to the right input
/// (<c>errors[].field</c>). The core's services know codes, not the JSON members a client sent; the body reader records
/// which request contract the endpoint read, and each code points at the first of its candidate members that contract
/// has. An error whose service already named a field keeps it; a code with no candidate in the contract names none.
/// </summary>
internal static class ProblemFields
{
    /// <summary>The key under which the body reader leaves the request contract it read.</summary>
    public static readonly object ContractKey = new();

    public static void Remember(HttpContext context, JsonTypeInfo contract) => context.Items[ContractKey] = contract;

    /// <summary><paramref name="error"/>'s field: its own, or the request member its code is about; <see langword="null"/> when none is to blame.</summary>
    public static string? Of(HttpContext context, SecurityError error)
    {
        if (error.Field is not null)
        {
            return error.Field;
        }

        if (!context.Items.TryGetValue(ContractKey, out var value) || value is not JsonTypeInfo contract)
        {
            return null;
        }

        foreach (var candidate in Candidates(error.Code))
        {
            if (contract.Properties.Any(p => string.Equals(p.Name, candidate, StringComparison.Ordinal)))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string[] Candidates(string code) => code switch
    {
        SecurityErrorCodes.PasswordWrongCurrent => ["currentPassword"],
        SecurityErrorCodes.PasswordMismatch => ["newPasswordRepeated", "passwordRepeated"],
        _ when code.StartsWith("password_", StringComparison.Ordinal) && code != SecurityErrorCodes.PasswordPolicyInvalid => ["newPassword", "password"],
        SecurityErrorCodes.SupportPinMismatch => ["pinRepeated"],
        SecurityErrorCodes.SupportPinRequired or SecurityErrorCodes.SupportPinNotDigits or SecurityErrorCodes.SupportPinTooShort
            or SecurityErrorCodes.SupportPinTooLong or SecurityErrorCodes.SupportPinSameDigit or SecurityErrorCodes.SupportPinSequential
            or SecurityErrorCodes.SupportPinPattern or SecurityErrorCodes.SupportPinCommon => ["pin"],
        SecurityErrorCodes.InvalidCode or SecurityErrorCodes.CodeReplayed or SecurityErrorCodes.TwoFactorCurrentCodeRequired => ["code", "recoveryCode"],
        SecurityErrorCodes.EmailConfusable => ["email"],
        SecurityErrorCodes.ResetTokenInvalid or SecurityErrorCodes.InvitationInvalid => ["token"],
        SecurityErrorCodes.PasskeyInvalidName => ["name"],
        _ => [],
    };
}
