using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// Checks a candidate password against a policy and returns every violation, each with a stable code and a
/// message that tells the user what to do — never just "invalid".
/// </summary>
/// <remarks>
/// History reuse needs the stored hashes and is checked by the password services (code <c>password_reused</c>).
/// Implementations never log or echo the candidate.
/// </remarks>
public interface IPasswordPolicy
{
    /// <summary>Validates <paramref name="candidate"/> for the user with <paramref name="email"/> under <paramref name="settings"/>.</summary>
    /// <returns>Every violation; empty when the candidate is acceptable.</returns>
    IReadOnlyList<SecurityError> Validate(string? candidate, string? email, PasswordPolicySettings settings);

    /// <summary>
    /// Validates <paramref name="candidate"/> for the account described by <paramref name="context"/> (its e-mail,
    /// contract name and product name) under <paramref name="settings"/>. Every path that sets a password calls this
    /// overload; the default implementation checks against the e-mail only, as <see cref="Validate(string?, string?, PasswordPolicySettings)"/> does.
    /// </summary>
    /// <returns>Every violation; empty when the candidate is acceptable.</returns>
    IReadOnlyList<SecurityError> Validate(string? candidate, PasswordContext context, PasswordPolicySettings settings) =>
        Validate(candidate, context?.Email, settings);
}
