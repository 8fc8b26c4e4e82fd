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
}
