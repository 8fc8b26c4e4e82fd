using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.Passwords.Hashing;

/// <summary>What one bcrypt check of a secret found.</summary>
internal enum SecretCheck
{
    NoMatch,
    Match,
    Malformed,
}

/// <summary>What a stored bcrypt hash is, before anything is computed with it.</summary>
internal enum StoredBcrypt
{
    /// <summary>Not a complete bcrypt hash this library checks.</summary>
    Malformed,

    /// <summary>Well-formed, with a cost above the bound: never computed.</summary>
    CostTooHigh,

    /// <summary>Well-formed, within the bound: may be checked.</summary>
    Checkable,
}

/// <summary>
/// The bcrypt core every secret hasher (passwords, support PINs) delegates to, so both share one format check (with
/// the <see cref="PasswordHashingOptions.MaximumWorkFactor"/> bound: one rule for every stored bcrypt hash), one verify
/// path, one dummy and one rehash rule. The schemes (what is prehashed, which marker is stored) stay with the public hashers.
/// </summary>
internal sealed partial class BcryptSecretHasher
{
    /// <summary>What a dummy check hashes: shaped like a keyed prehash's Base64, so it costs what a real check costs.</summary>
    private static readonly string DummyInput = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private readonly int _workFactor;
    private readonly int _maximumWorkFactor;
    private readonly IBcryptPrimitive _bcrypt;
    private readonly Lazy<string> _dummyHash;

    public BcryptSecretHasher(int workFactor, int maximumWorkFactor, IBcryptPrimitive bcrypt)
    {
        _workFactor = workFactor;
        _maximumWorkFactor = maximumWorkFactor;
        _bcrypt = bcrypt;

        // bcrypt spends its full cost on the salt and input before it compares anything, so a well-formed string with a
        // real random salt and a random digest costs exactly what a real check costs, without hashing anything up front.
        _dummyHash = new Lazy<string>(() => BCryptNet.GenerateSalt(_workFactor) + RandomBcryptChars(31));
    }

    /// <summary>bcrypt of <paramref name="input"/> with a fresh salt at the configured work factor.</summary>
    public string Hash(string input) => _bcrypt.HashPassword(input, _workFactor);

    /// <summary>
    /// Whether <paramref name="bcryptHash"/> is a bcrypt hash this library checks: <c>$2a$</c>, <c>$2b$</c> or
    /// <c>$2y$</c>, complete, with a cost no higher than the bound (<see cref="StoredBcrypt.Checkable"/>). A cost above it
    /// is <see cref="StoredBcrypt.CostTooHigh"/>, refused before anything is computed: a sign-in cannot afford it
    /// (<c>$2b$16$</c> takes seconds, <c>$2b$31$</c> days). (<c>$2x$</c>, crypt_blowfish's buggy 8-bit mode, is not
    /// something BCrypt.Net verifies: it is malformed here, not an exception.) Computes nothing.
    /// </summary>
    public StoredBcrypt Inspect(string? bcryptHash) =>
        bcryptHash is null || !BcryptFormat().IsMatch(bcryptHash) ? StoredBcrypt.Malformed
        : CostOf(bcryptHash) > _maximumWorkFactor ? StoredBcrypt.CostTooHigh
        : StoredBcrypt.Checkable;

    /// <summary>
    /// One bcrypt of <paramref name="input"/> against <paramref name="bcryptHash"/> (already <see cref="StoredBcrypt.Checkable"/>),
    /// compared in constant time. A hash BCrypt.Net still refuses is <see cref="SecretCheck.Malformed"/>, after the work
    /// of a dummy: it never escapes as an exception, and never answers faster than a real check.
    /// </summary>
    public SecretCheck Check(string input, string bcryptHash)
    {
        try
        {
            return _bcrypt.Verify(input, bcryptHash) ? SecretCheck.Match : SecretCheck.NoMatch;
        }
#pragma warning disable CA1031 // A corrupt hash is data, not a bug: it must fail closed, never escape as an exception.
        catch (Exception)
#pragma warning restore CA1031
        {
            SpendDummy();
            return SecretCheck.Malformed;
        }
    }

    /// <summary>Spends the work of one real check at the configured work factor. Never throws, never changes an answer.</summary>
    public void SpendDummy()
    {
        try
        {
            _ = _bcrypt.Verify(DummyInput, _dummyHash.Value);
        }
#pragma warning disable CA1031 // The dummy only spends time; nothing about it may change the answer or escape.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Whether a matching <paramref name="bcryptHash"/> should be replaced: its cost is below the configured one.</summary>
    public bool NeedsRehash(string bcryptHash) => CostOf(bcryptHash) < _workFactor;

    /// <summary>
    /// The Base64 of <paramref name="mac"/> over <paramref name="secret"/> under <paramref name="key"/>: what the schemes
    /// hand bcrypt instead of the secret (whole, NUL-free, inside bcrypt's 72 bytes). Clears <paramref name="secret"/>.
    /// </summary>
    public static string KeyedPrehash(Func<byte[], byte[], byte[]> mac, byte[] key, byte[] secret)
    {
        try
        {
            return Convert.ToBase64String(mac(key, secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static string RandomBcryptChars(int count)
    {
        const string alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(count, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }

    private static int CostOf(string bcryptHash) => int.Parse(bcryptHash.AsSpan(4, 2), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex BcryptFormat();
}
