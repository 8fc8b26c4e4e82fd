namespace AccountSecurity.Accounts;

/// <summary>
/// What <see cref="IAccountProvisioningService.CreateUserAsync"/> needs to add a user to the acting user's contract,
/// named rather than positional, so the new user's id cannot be swapped with the acting user's or the e-mail address
/// unnoticed. Nothing is checked here: the service validates every value and answers a bad one with a result.
/// <see cref="ToString"/> never prints the password or the e-mail address.
/// </summary>
public sealed class NewUser
{
    /// <summary>The new user's id, chosen by the host.</summary>
    public required string UserId { get; init; }

    /// <summary>The new user's e-mail address.</summary>
    public required string? Email { get; init; }

    /// <summary>The role: <see cref="UserRole.User"/> or <see cref="UserRole.Administrator"/> (a contract has exactly one owner).</summary>
    public required UserRole Role { get; init; }

    /// <summary>The initial password, checked under the contract's password policy; never printed.</summary>
    public required string? InitialPassword { get; init; }

    /// <summary>
    /// The new user's culture for texts the SDK writes to them (a BCP 47 tag such as <c>de-DE</c>, stored in canonical
    /// case as <see cref="UserAccount.Culture"/>); <see langword="null"/> or blank for the host's default. A value that is
    /// not a well-formed tag is refused with <see cref="Results.SecurityErrorCodes.CultureInvalid"/>.
    /// </summary>
    public string? Culture { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"NewUser {{ UserId = {UserId}, Role = {Role} }}";
}
