using AccountSecurity.Accounts;

namespace AccountSecurity.Passwords.Hashing;

/// <summary>
/// The key under which <see cref="HashingLimiter"/> gives an account its one place (queued or computing): the account's
/// e-mail address as every store matches it (<see cref="EmailAddress.Normalize"/>).
/// </summary>
/// <remarks>
/// <para>Why the e-mail address and not the user id: a password sign-in is keyed by the address it was given, whether
/// or not an account has it, and a known account's own verifications (the password at sign-in and at every
/// re-authentication, its support PIN) are keyed by its stored address, which normalises to the same key. So two
/// concurrent sign-ins for one address meet the same rule (the second is busy at once) for a known and an unknown
/// address alike, and the rule never depends on what the store answered: it cannot tell which accounts exist.</para>
/// <para>Only a support agent's PIN check by user id of an account that does not exist is keyed by that id (there is no
/// address to key it by); such a check meets the same rule against a second one for the same id.</para>
/// </remarks>
internal static class HashingAccountKey
{
    /// <summary>The key of a typed e-mail address; <see langword="null"/> (no per-account rule) for input no account can have.</summary>
    public static string? OfEmail(string? email) =>
        EmailAddress.IsPlausible(email) ? "email:" + EmailAddress.Normalize(email!) : null;

    /// <summary>The key of a stored account: its address, or its id for an address stored before the rules tightened.</summary>
    public static string Of(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return OfEmail(user.Email) ?? "id:" + user.Id;
    }

    /// <summary>The key of a typed user id that names no account; <see langword="null"/> for input no account can have.</summary>
    public static string? OfUnknownId(string? userId) => InputText.IsId(userId) ? "id:" + userId : null;
}
