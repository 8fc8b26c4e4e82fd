using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// A password rule that needs I/O, such as a breached-password lookup (package AccountSecurity.BreachedPasswords).
/// Every path that sets a password (account creation, invitation and registration, change, reset) runs the registered
/// rules, in registration order, last: only for a password that passed the local policy, its repetition and the
/// history, so a password that is refused anyway costs no lookup.
/// </summary>
/// <remarks>
/// Register implementations with <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IAsyncPasswordRule, …&gt;())</c>
/// (scoped works too). An implementation never logs, stores or sends the password, and never throws for an expected
/// failure of what it depends on: it answers with an error (or <see langword="null"/>) as its options say.
/// </remarks>
public interface IAsyncPasswordRule
{
    /// <summary>Checks <paramref name="password"/> (NFKC-normalised, the form that is hashed and stored).</summary>
    /// <returns>The one problem found, or <see langword="null"/> when the rule has nothing against the password.</returns>
    ValueTask<SecurityError?> ValidateAsync(string password, CancellationToken cancellationToken);
}
