using AccountSecurity.Results;

namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// The contract-wide password policy: only the contract owner may set or clear it; everyone may read the policy
/// in force (the contract's, or the configured default).
/// </summary>
public interface IPasswordPolicyService
{
    /// <summary>The policy in force for <paramref name="contractId"/>: the contract's own, or the configured default.</summary>
    ValueTask<PasswordPolicySettings> GetEffectivePolicyAsync(string contractId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets (or, with <see langword="null"/>, clears) the policy of the acting user's contract. Fails with
    /// <c>not_authorized</c> unless the user of <paramref name="actingSession"/> is that contract's owner, with
    /// <c>password_policy_invalid</c> (every problem) when the settings are unusable, and with
    /// <c>reauthentication_required</c> unless the session re-authenticated within the window (a sensitive operation). Takes effect for the next
    /// password set; existing passwords stay valid.
    /// </summary>
    ValueTask<SecurityResult> SetPolicyAsync(SignIn.AuthenticatedSession actingSession, PasswordPolicySettings? settings, CancellationToken cancellationToken = default);
}
