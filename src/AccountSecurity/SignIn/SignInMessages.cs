using AccountSecurity.Results;

namespace AccountSecurity.SignIn;

/// <summary>The one place a sign-in code gets its English message, for the core's results and the HTTP answers alike.</summary>
internal static class SignInMessages
{
    public static SecurityError Error(string code) => new(code, For(code));

    public static string For(string code) => code switch
    {
        SecurityErrorCodes.InvalidCredentials => "The e-mail address or the password is wrong.",
        SecurityErrorCodes.InvalidTicket => "The sign-in expired or was already completed. Sign in again with your password.",
        SecurityErrorCodes.CodeReplayed => "This code was already used. Wait for the next code from your authenticator app.",
        SecurityErrorCodes.LockedOut => "Too many failed attempts: the account is locked for a while.",
        SecurityErrorCodes.SecondFactorRequired => "Enter the code from your authenticator app, a recovery code, or use a passkey.",
        SecurityErrorCodes.TwoFactorSetupRequired => "Your administrator requires two-factor authentication: set it up to finish signing in.",
        SecurityErrorCodes.ConcurrencyConflict => "The account is busy with another request. Try again.",
        _ when code.StartsWith("passkey_", StringComparison.Ordinal) => "The passkey was not accepted. Try again, or sign in another way.",
        _ => "The code is wrong. Enter the current code from your authenticator app, or a recovery code.",
    };
}
