namespace AccountSecurity.Accounts;

/// <summary>Stable error codes of account provisioning and administration. Codes never change once shipped; hosts may switch on them.</summary>
public static class AccountErrorCodes
{
    /// <summary>
    /// The new e-mail address looks like the address of another user of the same contract: its Unicode confusable
    /// skeleton (UTS #39), as written or in another case, is the same (for example <c>kıng@example.com</c> beside
    /// <c>king@example.com</c>, or <c>admin@exampIe.com</c>, with a capital I, beside <c>admin@example.com</c>).
    /// </summary>
    public const string EmailConfusable = "email_confusable";

    /// <summary>
    /// A contract was handed to its new owner (the contract record names them), but a role write did not land: the roles
    /// are not yet in line. Repeating the request — or any later role change in the contract — finishes it. Never leaves
    /// two owners.
    /// </summary>
    public const string OwnershipTransferIncomplete = "ownership_transfer_incomplete";
}
