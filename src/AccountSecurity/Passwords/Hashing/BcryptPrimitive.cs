using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.Passwords.Hashing;

/// <summary>
/// The two bcrypt computations the password hasher performs, behind a seam so tests can count them (and the cost
/// each ran at) instead of timing them. Production code uses <see cref="BcryptNetPrimitive"/>.
/// </summary>
internal interface IBcryptPrimitive
{
    /// <summary>bcrypt of <paramref name="input"/> with a fresh salt at <paramref name="workFactor"/>.</summary>
    string HashPassword(string input, int workFactor);

    /// <summary>
    /// One bcrypt of <paramref name="input"/> with the salt and cost of <paramref name="bcryptHash"/>, compared with
    /// it in constant time. May throw for a hash BCrypt.Net cannot parse.
    /// </summary>
    bool Verify(string input, string bcryptHash);
}

/// <summary>BCrypt.Net-Next, the only bcrypt implementation the library uses.</summary>
internal sealed class BcryptNetPrimitive : IBcryptPrimitive
{
    public static readonly BcryptNetPrimitive Instance = new();

    private BcryptNetPrimitive()
    {
    }

    public string HashPassword(string input, int workFactor) => BCryptNet.HashPassword(input, workFactor);

    public bool Verify(string input, string bcryptHash) => BCryptNet.Verify(input, bcryptHash);
}
