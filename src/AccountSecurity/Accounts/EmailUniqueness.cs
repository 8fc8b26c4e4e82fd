using AccountSecurity.Accounts.Confusables;
using AccountSecurity.Localization;
using AccountSecurity.Results;
using AccountSecurity.Stores;

namespace AccountSecurity.Accounts;

/// <summary>
/// The rule a new e-mail address of a contract's user must pass beyond <see cref="EmailAddress.IsPlausible"/>, shared by
/// account creation and e-mail changes so the two can never drift apart.
/// </summary>
internal static class EmailUniqueness
{
    /// <summary>
    /// Whether another user of the contract has an address that looks like this one: a confusable skeleton (UTS #39) in
    /// common, taken of the address as written and of its lower- and upper-case forms (<see cref="LookAlikeKeys"/>). The
    /// very same address (case-insensitively) is left to the store's uniqueness, which answers <c>duplicate</c>.
    /// <paramref name="exceptUserId"/>'s own address is not compared (a user may change theirs to a look-alike of itself).
    /// Two concurrent writes of look-alike addresses may both pass this check: only unique skeleton columns in the store
    /// would close that.
    /// </summary>
    public static async ValueTask<bool> LooksLikeAnotherUserAsync(IUserStore users, string contractId, string email, string? exceptUserId, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email);
        var keys = LookAlikeKeys.Of(email.Trim());
        var others = await users.ListByContractAsync(contractId, cancellationToken).ConfigureAwait(false);
        return others.Any(u => u.Id != exceptUserId
            && EmailAddress.Normalize(u.Email) != normalized
            && InputText.IsWellFormed(u.Email)
            && keys.LookAlike(LookAlikeKeys.Of(u.Email.Trim())));
    }

    /// <summary>The answer when <see cref="LooksLikeAnotherUserAsync"/> holds.</summary>
    public static Results.SecurityError Confusable() => new(SecurityErrorCodes.EmailConfusable,
        UserMessages.EmailConfusable);
}
