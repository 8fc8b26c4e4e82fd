using System.Security.Cryptography;
using System.Text;
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
/// Raw bcrypt hashes (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>) imported from elsewhere are checked against two forms of
/// the password: first the UTF-8 of the password exactly as typed (what libxcrypt, OpenBSD and most other systems
/// hashed), then the UTF-8 of its NFKC form (what a system that normalised hashed). Raw bcrypt reads only the first
/// 72 bytes of its input, so each form is checked only when its own UTF-8 is at most 72 bytes long; a longer form
/// can never verify (two passwords sharing 72 bytes would match each other). A match always asks for a rehash into
/// <c>asv1</c>.
/// </para>
/// <para>
/// Timing: how much bcrypt work <see cref="Verify"/> and <see cref="VerifyDummy"/> do depends on the password given
/// and the configured work factor only, never on the account or its stored hash. Every answer costs one bcrypt,
/// or two when the password as typed differs from its NFKC form (the second is what an imported raw hash needs; for
/// every other hash, and for no hash, it is a dummy). A stored hash that cannot be checked (missing, malformed, of an
/// unknown scheme, or with a cost above <see cref="PasswordHashingOptions.MaximumWorkFactor"/>) and a password that
/// cannot be used (empty, too long, invalid characters) are answered after the same work spent on a dummy hash at the
/// configured work factor. A stored hash with a lower cost than configured is checked at its own cost until the
/// rehash on the next successful check.
/// </para>
/// <para>
/// A stored hash above <see cref="PasswordHashingOptions.MaximumWorkFactor"/> (the work factor plus two by default) is
/// <see cref="PasswordVerificationResult.HashCostTooHigh"/>: its own cost is never computed, whatever the password,
/// because a sign-in cannot afford it (an imported <c>$2b$16$</c> costs seconds of CPU per attempt, wrong guesses
/// included); the answer costs what a wrong password costs.
/// </para>
/// </remarks>
public sealed class BcryptPasswordHasher : IPasswordHasher
{
    /// <summary>The marker of the current scheme, prefixed to every hash this class produces.</summary>
    public const string CurrentSchemeMarker = "asv1:";

    private const int BcryptMaxInputBytes = 72;
    private static readonly byte[] PrehashKey = "AccountSecurity/bcrypt-prehash/v1"u8.ToArray();

    private readonly BcryptSecretHasher _bcrypt;

    /// <summary>Creates the hasher with the work factors from <see cref="AccountSecurityOptions.Hashing"/>.</summary>
    public BcryptPasswordHasher(IOptions<AccountSecurityOptions> options)
        : this(options, BcryptNetPrimitive.Instance)
    {
    }

    /// <summary>The seam tests use to count bcrypt computations.</summary>
    internal BcryptPasswordHasher(IOptions<AccountSecurityOptions> options, IBcryptPrimitive bcrypt)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(bcrypt);
        var hashing = options.Value.Hashing;
        _bcrypt = new BcryptSecretHasher(hashing.WorkFactor, hashing.EffectiveMaximumWorkFactor, bcrypt);
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
    /// <remarks>See the class remarks for how much work every answer costs; no early answer skips it.</remarks>
    public PasswordVerificationResult Verify(string? storedHash, string? password)
    {
        var (kind, bcryptPart) = Parse(storedHash);
        if (!PasswordText.TryNormalize(password, out var normalized, out _))
        {
            SpendDummy();
            return kind switch
            {
                HashKind.Malformed => PasswordVerificationResult.MalformedHash,
                HashKind.CostTooHigh => PasswordVerificationResult.HashCostTooHigh,
                _ => PasswordVerificationResult.Failed,
            };
        }

        // Ordinal: NFKC is the only thing that may make the two forms differ.
        var typed = password!;
        var twoForms = !string.Equals(typed, normalized, StringComparison.Ordinal);
        var malformed = kind == HashKind.Malformed;
        var matches = false;
        switch (kind)
        {
            case HashKind.Current:
                matches = Check(Prehash(normalized), bcryptPart!, ref malformed);
                if (twoForms)
                {
                    SpendDummy();
                }

                break;

            case HashKind.Raw:
                // Both forms are always checked (no early exit on a match), so the work never depends on which matched.
                matches = CheckRaw(typed, bcryptPart!, ref malformed);
                if (twoForms)
                {
                    matches |= CheckRaw(normalized, bcryptPart!, ref malformed);
                }

                break;

            default:
                SpendDummy();
                if (twoForms)
                {
                    SpendDummy();
                }

                break;
        }

        if (kind == HashKind.CostTooHigh)
        {
            return PasswordVerificationResult.HashCostTooHigh;
        }

        if (malformed)
        {
            return PasswordVerificationResult.MalformedHash;
        }

        if (!matches)
        {
            return PasswordVerificationResult.Failed;
        }

        return kind == HashKind.Current && !_bcrypt.NeedsRehash(bcryptPart!)
            ? PasswordVerificationResult.Success
            : PasswordVerificationResult.SuccessRehashNeeded;
    }

    /// <inheritdoc />
    public void VerifyDummy(string? password) => _ = Verify(null, password);

    private (HashKind Kind, string? BcryptPart) Parse(string? storedHash)
    {
        if (string.IsNullOrEmpty(storedHash))
        {
            return (HashKind.Malformed, null);
        }

        var current = storedHash.StartsWith(CurrentSchemeMarker, StringComparison.Ordinal);
        var bcryptPart = current ? storedHash[CurrentSchemeMarker.Length..] : storedHash;

        return _bcrypt.Inspect(bcryptPart) switch
        {
            StoredBcrypt.Checkable => (current ? HashKind.Current : HashKind.Raw, bcryptPart),
            StoredBcrypt.CostTooHigh => (HashKind.CostTooHigh, null),
            _ => (HashKind.Malformed, null),
        };
    }

    /// <summary>One form against a raw hash: only when raw bcrypt can tell it apart from every other input (at most 72 bytes).</summary>
    private bool CheckRaw(string form, string bcryptPart, ref bool malformed)
    {
        if (Encoding.UTF8.GetByteCount(form) > BcryptMaxInputBytes)
        {
            SpendDummy();
            return false;
        }

        return Check(form, bcryptPart, ref malformed);
    }

    private bool Check(string input, string bcryptPart, ref bool malformed)
    {
        var check = _bcrypt.Check(input, bcryptPart);
        malformed |= check == SecretCheck.Malformed;
        return check == SecretCheck.Match;
    }

    private void SpendDummy() => _bcrypt.SpendDummy();

    private string HashNormalized(string normalized) => CurrentSchemeMarker + _bcrypt.Hash(Prehash(normalized));

    private static string Prehash(string normalized) =>
        BcryptSecretHasher.KeyedPrehash(HMACSHA384.HashData, PrehashKey, Encoding.UTF8.GetBytes(normalized));

    private enum HashKind
    {
        Malformed,
        CostTooHigh,
        Current,
        Raw,
    }
}
