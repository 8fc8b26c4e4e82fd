using AccountSecurity.Localization;
using AccountSecurity.Results;

namespace AccountSecurity.SignIn;

/// <summary>The one place a sign-in code gets its English message, for the core's results and the HTTP answers alike.</summary>
internal static class SignInMessages
{
    public static SecurityError Error(string code) => new(code, For(code));

    public static string For(string code) => code switch
    {
        SecurityErrorCodes.InvalidCredentials => UserMessages.InvalidCredentials,
        SecurityErrorCodes.InvalidTicket => UserMessages.SignInTicketInvalid,
        SecurityErrorCodes.CodeReplayed => UserMessages.CodeReplayed,
        SecurityErrorCodes.LockedOut => UserMessages.SignInLockedOut,
        SecurityErrorCodes.SecondFactorRequired => UserMessages.SecondFactorRequired,
        SecurityErrorCodes.TwoFactorSetupRequired => UserMessages.TwoFactorSetupRequiredToSignIn,
        SecurityErrorCodes.ConcurrencyConflict => UserMessages.AccountBusy,
        _ when code.StartsWith("passkey_", StringComparison.Ordinal) => UserMessages.PasskeyNotAccepted,
        _ => UserMessages.CodeWrong,
    };
}
