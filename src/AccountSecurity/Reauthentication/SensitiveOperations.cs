namespace AccountSecurity.Reauthentication;

/// <summary>Words for the <see cref="SensitiveOperation"/> list, for messages and documentation.</summary>
public static class SensitiveOperations
{
    /// <summary>Every sensitive operation, in the order of <see cref="SensitiveOperation"/>.</summary>
    public static IReadOnlyList<SensitiveOperation> All { get; } = Enum.GetValues<SensitiveOperation>();

    /// <summary>What <paramref name="operation"/> is, in a few plain words ("change the password"); the enum name for an undefined value.</summary>
    public static string Describe(SensitiveOperation operation) => operation switch
    {
        SensitiveOperation.ChangePassword => "change the password",
        SensitiveOperation.SetUpTwoFactor => "set up or replace the authenticator app",
        SensitiveOperation.DisableTwoFactor => "switch the authenticator app off",
        SensitiveOperation.RegenerateRecoveryCodes => "create new recovery codes",
        SensitiveOperation.AddPasskey => "add a passkey",
        SensitiveOperation.RemovePasskey => "remove a passkey",
        SensitiveOperation.ChangeEmail => "change an e-mail address",
        SensitiveOperation.SetSupportPin => "set the support PIN",
        SensitiveOperation.RemoveSupportPin => "remove the support PIN",
        SensitiveOperation.ChangePasswordPolicy => "change the password policy",
        SensitiveOperation.ChangeSessionPolicy => "change the session policy",
        SensitiveOperation.ChangePasswordlessSignInPolicy => "change whether passkeys alone may sign in",
        SensitiveOperation.ForceTwoFactor => "require or stop requiring two-factor authentication for a user",
        SensitiveOperation.ResetTwoFactor => "reset a user's two-factor authentication",
        SensitiveOperation.ChangeRole => "change a user's role",
        SensitiveOperation.TransferOwnership => "hand over the contract's ownership",
        SensitiveOperation.DeactivateUser => "deactivate a user",
        SensitiveOperation.ReactivateUser => "reactivate a user",
        SensitiveOperation.EndUserSessions => "end a user's sessions",
        SensitiveOperation.ClearSupportPinLockout => "clear a user's support PIN lockout",
        _ => operation.ToString(),
    };
}
