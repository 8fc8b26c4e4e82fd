namespace AccountSecurity.TwoFactor.Totp;

/// <summary>Stable error codes of the TOTP primitives. Codes never change once shipped; hosts may switch on them.</summary>
public static class TotpErrorCodes
{
    /// <summary>The code was missing or not exactly the configured number of digits (spaces aside).</summary>
    public const string CodeMalformed = "totp_code_malformed";

    /// <summary>The code matched no time step of the drift window.</summary>
    public const string CodeInvalid = "totp_code_invalid";

    /// <summary>The code matched only time steps at or before the last accepted one: it was already used.</summary>
    public const string CodeReplayed = "totp_code_replayed";

    /// <summary>The account name for the otpauth URI was empty, too long, or contained <c>':'</c> or control characters.</summary>
    public const string AccountNameInvalid = "totp_account_name_invalid";
}
