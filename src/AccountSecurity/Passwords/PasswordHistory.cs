using System.Collections.Immutable;
using AccountSecurity.Accounts;
using AccountSecurity.Localization;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.Results;

namespace AccountSecurity.Passwords;

/// <summary>Password history: refusing recent passwords, and remembering the one being replaced.</summary>
internal static class PasswordHistory
{
    /// <summary>Whether <paramref name="candidate"/> is the current password or one of the last <c>HistoryDepth</c> ones.</summary>
    public static bool IsReused(IPasswordHasher hasher, UserAccount user, string candidate, PasswordPolicySettings policy)
    {
        if (policy.HistoryDepth == 0)
        {
            return false;
        }

        var recent = user.PasswordHistory.Take(policy.HistoryDepth);
        if (user.PasswordHash is not null)
        {
            recent = recent.Prepend(user.PasswordHash);
        }

        // Check all of them, so the time taken does not say which one matched.
        var reused = false;
        foreach (var hash in recent)
        {
            reused |= hasher.Verify(hash, candidate) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;
        }

        return reused;
    }

    /// <summary>The history after replacing the current hash, newest first, bounded.</summary>
    public static ImmutableArray<string> After(UserAccount user, PasswordPolicySettings policy)
    {
        var depth = Math.Max(policy.HistoryDepth, 0);
        if (user.PasswordHash is null || depth == 0)
        {
            return [];
        }

        return [.. user.PasswordHistory.Prepend(user.PasswordHash).Take(depth)];
    }

    public static SecurityError ReusedError(PasswordPolicySettings policy) => new(
        SecurityErrorCodes.PasswordReused,
        policy.HistoryDepth == 1 ? UserMessages.PasswordReused_One : Localized.Format(UserMessages.PasswordReused_Other, policy.HistoryDepth));
}
