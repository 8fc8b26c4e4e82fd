using AccountSecurity.Accounts;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;

namespace AccountSecurity.Passwords;

/// <summary>
/// Everything a new password must pass, for every path that sets one (change, reset): the repetition, the contract's
/// policy, "not the current one" and the history — all problems reported together.
/// </summary>
internal sealed class NewPasswordRules
{
    private readonly PasswordPolicyService _policies;
    private readonly IPasswordPolicy _policy;
    private readonly IPasswordHasher _hasher;

    public NewPasswordRules(PasswordPolicyService policies, IPasswordPolicy policy, IPasswordHasher hasher, HashingLimiter hashing)
    {
        _policies = policies;
        _policy = policy;
        _hasher = hasher;
        Hashing = hashing;
    }

    /// <summary>The process's hashing limiter (the history check is bcrypt work; so is hashing the new password).</summary>
    public HashingLimiter Hashing { get; }

    /// <summary>
    /// Every problem with <paramref name="newPassword"/> for <paramref name="user"/>, and the policy in force (for the
    /// history depth to keep). <paramref name="verifiedCurrentPassword"/>, when the caller just proved it, turns
    /// "same as the current one" into its own code; without it (reset) the current password counts as history.
    /// </summary>
    public async ValueTask<(List<SecurityError> Errors, PasswordPolicySettings Policy)> CheckAsync(
        UserAccount user,
        string? newPassword,
        string? newPasswordRepeated,
        string? verifiedCurrentPassword,
        CancellationToken cancellationToken)
    {
        var policy = await _policies.GetEffectivePolicyAsync(user.ContractId, cancellationToken).ConfigureAwait(false);
        var errors = new List<SecurityError>();
        if (!SameText(newPassword, newPasswordRepeated))
        {
            errors.Add(new SecurityError(SecurityErrorCodes.PasswordMismatch, "The new password and its repetition do not match. Type the same password twice."));
        }

        var violations = _policy.Validate(newPassword, user.Email, policy);
        errors.AddRange(violations);

        // Reuse can only be judged for a password that could be hashed at all.
        var hashable = violations.All(v => v.Code is not (SecurityErrorCodes.PasswordRequired or SecurityErrorCodes.PasswordInvalidCharacters or SecurityErrorCodes.PasswordTooLong));
        if (hashable && PasswordText.TryNormalize(newPassword, out _, out _))
        {
            if (verifiedCurrentPassword is not null && SameText(newPassword, verifiedCurrentPassword))
            {
                errors.Add(new SecurityError(SecurityErrorCodes.PasswordSameAsCurrent, "The new password must differ from the current one."));
            }
            else
            {
                var reused = await Hashing.RunAsync(() => PasswordHistory.IsReused(_hasher, user, newPassword!, policy), cancellationToken).ConfigureAwait(false);
                if (!reused.Ran)
                {
                    errors.Add(HashingLimiter.BusyError(reused.RetryAfter));
                }
                else if (reused.Value)
                {
                    errors.Add(PasswordHistory.ReusedError(policy));
                }
            }
        }

        return (errors, policy);
    }

    /// <summary>Equal as the hasher sees them (after NFKC), so two Unicode spellings of one password match.</summary>
    private static bool SameText(string? a, string? b) =>
        PasswordText.TryNormalize(a, out var left, out _) && PasswordText.TryNormalize(b, out var right, out _)
            ? string.Equals(left, right, StringComparison.Ordinal)
            : string.Equals(a, b, StringComparison.Ordinal);
}
