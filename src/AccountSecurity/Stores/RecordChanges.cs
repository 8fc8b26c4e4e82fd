using AccountSecurity.Accounts;

namespace AccountSecurity.Stores;

// The decisions a read-modify-write (RecordUpdater) makes on the state it read: keep (write nothing and answer), or save
// a new state first and answer once it is written. One pair per record type, so a decision reads as
// `UserChange.Save(next, result)` with the result's type inferred.

/// <summary>The decisions of a user's read-modify-write (<see cref="UserUpdater"/>).</summary>
internal static class UserChange
{
    public static RecordChange<UserAccount, T> Keep<T>(T result) => new(result, null);

    public static RecordChange<UserAccount, T> Save<T>(UserAccount newState, T result) => new(result, newState);
}

/// <summary>The decisions of a contract's read-modify-write (<see cref="ContractUpdater"/>).</summary>
internal static class ContractChange
{
    public static RecordChange<Contract, T> Keep<T>(T result) => new(result, null);

    public static RecordChange<Contract, T> Save<T>(Contract newState, T result) => new(result, newState);
}
