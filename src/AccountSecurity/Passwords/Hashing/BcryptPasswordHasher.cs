using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Results;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Passwords.Hashing;

/// <summary>
/// bcrypt through BCrypt.Net-Next, with bcrypt's 72-byte limit handled explicitly and versioned.
/// </summary>
/// <remarks>
/// <para>
/// Scheme <c>asv1</c> (current), stored as <c>asv1:$2a$NN$…</c>: the NFKC-normalised password's UTF-8 bytes are
/// keyed through HMAC-SHA-384 under a fixed domain-separation key, and the 64-character Base64 of that MAC is what
/// bcrypt hashes. Every password, however long, therefore reaches bcrypt whole: two passwords that differ after
/// byte 72 never verify as each other, and the MAC's Base64 contains no NUL that could cut bcrypt's input short.
/// The domain key stops hashes from other systems' plain SHA-384 lists being "shucked" against ours.
/// </para>
/// <para>
/// Raw bcrypt hashes (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>) imported from elsewhere verify only for passwords of at
/// most 72 UTF-8 bytes (where raw bcrypt is exact) and always ask for a rehash into <c>asv1</c>.
/// </para>
/// </remarks>
public sealed partial class BcryptPasswordHasher : IPasswordHasher
{
    /// <summary>The marker of the current scheme, prefixed to every hash this class produces.</summary>
    public const string CurrentSchemeMarker = "asv1:";

    private const int BcryptMaxInputBytes = 72;
    private static readonly byte[] PrehashKey = "AccountSecurity/bcrypt-prehash/v1"u8.ToArray();

    private readonly int _workFactor;
    private readonly IBcryptPrimitive _bcrypt;
    private readonly Lazy<string> _dummyHash;

    /// <summary>Creates the hasher with the work factor from <see cref="AccountSecurityOptions.Hashing"/>.</summary>
    public BcryptPasswordHasher(IOptions<AccountSecurityOptions> options)
        : this(options, BcryptNetPrimitive.Instance)
    {
    }

    /// <summary>The seam tests use to count bcrypt computations.</summary>
    internal BcryptPasswordHasher(IOptions<AccountSecurityOptions> options, IBcryptPrimitive bcrypt)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(bcrypt);
        _workFactor = options.Value.Hashing.WorkFactor;
        _bcrypt = bcrypt;

        // bcrypt spends its full cost on the salt and input before it compares anything, so a well-formed string with a
        // random salt and random digest costs exactly what a real check costs, without hashing anything up front.
        _dummyHash = new Lazy<string>(() => CurrentSchemeMarker + $"$2a${_workFactor:D2}$" + RandomBcryptChars(53));
    }

    /// <inheritdoc />
    public SecurityResult<string> Hash(string? password)
    {
        if (!PasswordText.TryNormalize(password, out var normalized, out var error))
        {
            return SecurityResult<string>.Failed(error!);
        }

        return SecurityResult<string>.Success(HashNormalized(normalized));
    }

    /// <inheritdoc />
    public PasswordVerificationResult Verify(string? storedHash, string? password)
    {
        if (string.IsNullOrEmpty(storedHash))
        {
            return PasswordVerificationResult.MalformedHash;
        }

        var current = storedHash.StartsWith(CurrentSchemeMarker, StringComparison.Ordinal);
        var bcryptPart = current ? storedHash[CurrentSchemeMarker.Length..] : storedHash;
        if (!BcryptFormat().IsMatch(bcryptPart))
        {
            return PasswordVerificationResult.MalformedHash;
        }

        if (!PasswordText.TryNormalize(password, out var normalized, out _))
        {
            return PasswordVerificationResult.Failed;
        }

        string input;
        if (current)
        {
            input = Prehash(normalized);
        }
        else
        {
            // Raw bcrypt reads only 72 bytes: past that it cannot tell passwords apart, so it may not say "match".
            if (Encoding.UTF8.GetByteCount(normalized) > BcryptMaxInputBytes)
            {
                return PasswordVerificationResult.Failed;
            }

            input = normalized;
        }

        bool matches;
        try
        {
            matches = _bcrypt.Verify(input, bcryptPart);
        }
#pragma warning disable CA1031 // A corrupt hash is data, not a bug: it must fail closed, never escape as an exception.
        catch (Exception)
#pragma warning restore CA1031
        {
            return PasswordVerificationResult.MalformedHash;
        }

        if (!matches)
        {
            return PasswordVerificationResult.Failed;
        }

        return current && CostOf(bcryptPart) >= _workFactor
            ? PasswordVerificationResult.Success
            : PasswordVerificationResult.SuccessRehashNeeded;
    }

    /// <inheritdoc />
    public void VerifyDummy(string? password) =>
        _ = Verify(_dummyHash.Value, string.IsNullOrEmpty(password) ? "-" : password);

    private string HashNormalized(string normalized) =>
        CurrentSchemeMarker + _bcrypt.HashPassword(Prehash(normalized), _workFactor);

    private static string Prehash(string normalized)
    {
        var bytes = Encoding.UTF8.GetBytes(normalized);
        try
        {
            return Convert.ToBase64String(HMACSHA384.HashData(PrehashKey, bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
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

    private static int CostOf(string bcryptHash) => int.Parse(bcryptHash.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\$2[abxy]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex BcryptFormat();
}
