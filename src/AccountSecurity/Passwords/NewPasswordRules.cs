using AccountSecurity.Accounts;
using AccountSecurity.Localization;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;
using AccountSecurity.Stores;

namespace AccountSecurity.Passwords;

/// <summary>
/// Everything a new password must pass, for every path that sets one (account creation, invitation and registration,
/// change, reset), and the one place their order is decided: the repetition, the contract's policy (with the account's
/// context words), "not the current one" and the history — all problems reported together — then, only for a
/// password none of them refused, the I/O rules (<see cref="IAsyncPasswordRule"/>, such as the breached-password
/// lookup), in registration order, stopping at the first that refuses.
/// </summary>
internal sealed class NewPasswordRules
{
    private readonly PasswordPolicyService _policies;
    private readonly IPasswordPolicy _policy;
    private readonly IPasswordHasher _hasher;
    private readonly IAsyncPasswordRule[] _asyncRules;
    private readonly string? _productName;

    public NewPasswordRules(PasswordPolicyService policies, IPasswordPolicy policy, IPasswordHasher hasher, HashingLimiter hashing, IEnumerable<IAsyncPasswordRule>? asyncRules = null, string? productName = null)
    {
        _policies = policies;
        _policy = policy;
        _hasher = hasher;
        Hashing = hashing;
        _asyncRules = asyncRules?.ToArray() ?? [];
        _productName = productName;
    }

    /// <summary>
    /// Every problem with <paramref name="password"/> for a new account of <paramref name="email"/> in the contract
    /// <paramref name="contractId"/> (named <paramref name="contractName"/> when it is being created): the policy,
    /// then the I/O rules. No history or repetition: the account has neither.
    /// </summary>
    public async ValueTask<IReadOnlyList<SecurityError>> CheckNewAccountAsync(string contractId, string? contractName, string? email, string? password, CancellationToken cancellationToken)
    {
        var (policy, storedName) = await _policies.GetEffectivePolicyAndNameAsync(contractId, cancellationToken).ConfigureAwait(false);
        var violations = _policy.Validate(password, new PasswordContext(email, contractName ?? storedName, _productName), policy);
        if (violations.Count > 0)
        {
            return violations;
        }

        return await CheckAsyncRulesAsync(password, cancellationToken).ConfigureAwait(false) is { } refused ? [refused] : [];
    }

    /// <summary>The I/O rules, in order, for a password that passed every local rule; the first refusal, or <see langword="null"/>.</summary>
    private async ValueTask<SecurityError?> CheckAsyncRulesAsync(string? password, CancellationToken cancellationToken)
    {
        if (_asyncRules.Length == 0 || !PasswordText.TryNormalize(password, out var normalized, out _))
        {
            return null;
        }

        foreach (var rule in _asyncRules)
        {
            if (await rule.ValidateAsync(normalized, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }
        }

        return null;
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
        var (policy, contractName) = await _policies.GetEffectivePolicyAndNameAsync(user.ContractId, cancellationToken).ConfigureAwait(false);
        var errors = new List<SecurityError>();
        if (!SameText(newPassword, newPasswordRepeated))
        {
            errors.Add(new SecurityError(SecurityErrorCodes.PasswordMismatch, UserMessages.PasswordMismatch));
        }

        var violations = _policy.Validate(newPassword, new PasswordContext(user.Email, contractName, _productName), policy);
        errors.AddRange(violations);

        // Reuse can only be judged for a password that could be hashed at all.
        var hashable = violations.All(v => v.Code is not (SecurityErrorCodes.PasswordRequired or SecurityErrorCodes.PasswordInvalidCharacters or SecurityErrorCodes.PasswordTooLong));
        if (hashable && PasswordText.TryNormalize(newPassword, out _, out _))
        {
            if (verifiedCurrentPassword is not null && SameText(newPassword, verifiedCurrentPassword))
            {
                errors.Add(new SecurityError(SecurityErrorCodes.PasswordSameAsCurrent, UserMessages.PasswordSameAsCurrent));
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

        // Last, and only for a password nothing else refused: a lookup costs a round trip (or a file read).
        if (errors.Count == 0 && await CheckAsyncRulesAsync(newPassword, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            errors.Add(refused);
        }

        return (errors, policy);
    }

    /// <summary>
    /// Sets <paramref name="newPassword"/> on <paramref name="user"/> with a single-use mailed token (reset, invitation):
    /// every rule checked first (nothing consumed when one fails, so the user fixes the password and submits the same
    /// link), then hashed, then one write that re-checks <paramref name="tokenStillValid"/> on the fresh state — of two
    /// racing submissions of one token only one finds it — and stores the hash, the history, a new stamp and no tokens,
    /// plus what <paramref name="alsoChange"/> adds. <paramref name="invalid"/> is the answer for a token no longer valid.
    /// <c>Written</c> says whether the write was tried (the caller's success or failure event belongs to it); a refused
    /// password or a busy hasher answers before it, with no event, as a form's validation does.
    /// </summary>
    public async ValueTask<(SecurityResult Result, bool Written)> SetWithTokenAsync(
        UserAccount user,
        string? newPassword,
        string? newPasswordRepeated,
        Func<UserAccount, bool> tokenStillValid,
        Func<UserAccount, UserAccount> alsoChange,
        SecurityResult invalid,
        UserUpdater updater,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (errors, policy) = await CheckAsync(user, newPassword, newPasswordRepeated, verifiedCurrentPassword: null, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return (SecurityResult.Failed(errors), false);
        }

        var hash = await Hashing.HashAsync(() => _hasher.Hash(newPassword), cancellationToken).ConfigureAwait(false);
        if (!hash.Succeeded)
        {
            return (hash, false);
        }

        var written = await updater.UpdateAsync(
            user.Id,
            current =>
            {
                if (current is null || !tokenStillValid(current))
                {
                    return UserChange.Keep(invalid);
                }

                var next = alsoChange(current with
                {
                    PasswordHash = hash.Value,
                    PasswordHistory = PasswordHistory.After(current, policy),
                    PasswordChangedAt = time.GetUtcNow(),
                    PasswordChangeRequired = false,
                    SecurityStamp = SecurityStamp.New(),
                    PasswordResetTokens = [],
                });
                return UserChange.Save(next, SecurityResult.Success());
            },
            () => SecurityResult.Failed(PasswordVerifier.Busy()),
            cancellationToken,
            user).ConfigureAwait(false);
        return (written, true);
    }

    /// <summary>Whether <paramref name="user"/> holds a live mailed token whose stored form is <paramref name="tokenHash"/> (compared in constant time, every record looked at).</summary>
    public static bool HasLiveToken(UserAccount user, string tokenHash, DateTimeOffset now)
    {
        var found = false;
        foreach (var record in user.PasswordResetTokens)
        {
            found |= Crypto.SecretHash.Same(record.TokenHash, tokenHash) && record.ExpiresAt > now;
        }

        return found;
    }

    /// <summary>Equal as the hasher sees them (after NFKC), so two Unicode spellings of one password match.</summary>
    private static bool SameText(string? a, string? b) =>
        PasswordText.TryNormalize(a, out var left, out _) && PasswordText.TryNormalize(b, out var right, out _)
            ? string.Equals(left, right, StringComparison.Ordinal)
            : string.Equals(a, b, StringComparison.Ordinal);
}
