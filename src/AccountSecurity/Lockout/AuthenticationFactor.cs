namespace AccountSecurity.Lockout;

/// <summary>A factor whose failures are counted separately, so guessing one never resets another.</summary>
public enum AuthenticationFactor
{
    /// <summary>The password (sign-in and re-authentication).</summary>
    Password = 0,

    /// <summary>The second factor: TOTP codes and recovery codes.</summary>
    SecondFactor = 1,

    /// <summary>The support PIN, verified by support staff.</summary>
    SupportPin = 2,
}
