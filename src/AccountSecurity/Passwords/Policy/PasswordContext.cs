namespace AccountSecurity.Passwords.Policy;

/// <summary>
/// What an attacker knows about the account a password is for (OWASP ASVS 5.0 V6.2.11, NIST SP 800-63B
/// "context-specific words"): the user's e-mail address, the contract's (organisation's) name and the product's name.
/// A password built mostly from their words is refused by <see cref="DefaultPasswordPolicy"/>.
/// </summary>
/// <param name="Email">The user's e-mail address, or <see langword="null"/>.</param>
/// <param name="ContractName">The contract's name, or <see langword="null"/>.</param>
/// <param name="ProductName">The product's name the host configured (<see cref="DependencyInjection.AccountSecurityOptions.ProductName"/>), or <see langword="null"/>.</param>
public sealed record PasswordContext(string? Email, string? ContractName = null, string? ProductName = null)
{
    /// <summary>Names which parts are known, never their values (an e-mail address is personal data).</summary>
    public override string ToString() =>
        $"PasswordContext {{ Email = {(Email is null ? "none" : "set")}, ContractName = {(ContractName is null ? "none" : "set")}, ProductName = {(ProductName is null ? "none" : "set")} }}";
}
