namespace AccountSecurity.Stores;

/// <summary>The outcome of a store write.</summary>
public enum StoreWriteResult
{
    /// <summary>Written; the stored version is now one more than the version stated.</summary>
    Success = 0,

    /// <summary>The stored version differs from the version stated: someone else wrote first. Re-read and retry.</summary>
    Conflict = 1,

    /// <summary>Nothing with that id exists.</summary>
    NotFound = 2,

    /// <summary>A create collided with an existing id or (for users) e-mail address.</summary>
    Duplicate = 3,
}
