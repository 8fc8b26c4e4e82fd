namespace AccountSecurity.SignIn;

/// <summary>Where a session stands at a request (see <see cref="ISignInService.GetSessionStatusAsync"/>).</summary>
public enum SessionStatus
{
    /// <summary>The session has ended: the user is unknown, inactive, in another contract, or its security stamp changed.</summary>
    Invalid = 0,

    /// <summary>The session stands.</summary>
    Valid = 1,

    /// <summary>
    /// The session stands, but an administrator has forced two-factor authentication on its user, who has no second
    /// factor yet (no active authenticator app, no passkey): the host sends the session to the setup, and lets it reach
    /// nothing else until the setup is done. Ending the session would only make the user sign in to the same setup.
    /// </summary>
    TwoFactorSetupRequired = 2,

    /// <summary>
    /// The session stands, but its user's password was found in a data breach after a sign-in
    /// (<see cref="Accounts.UserAccount.PasswordChangeRequired"/>): the host sends the session to the password change
    /// form, and lets it reach nothing else until the password is changed (which clears the mark). It comes before a
    /// forced two-factor setup that is still open (<see cref="TwoFactorSetupRequired"/> follows once the password is
    /// changed): the password is known to attackers, who must not get to set up a second factor of their own.
    /// </summary>
    PasswordChangeRequired = 3,
}
