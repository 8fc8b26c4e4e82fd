using System.Security.Cryptography;
using System.Text;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Passwords.Hashing;
using Microsoft.Extensions.Options;

namespace AccountSecurity.SupportPin;

/// <summary>
/// bcrypt over an HMAC-SHA-256 of the PIN. Scheme <c>aspin1:</c> keys the HMAC with a fixed domain-separation key;
/// scheme <c>aspin1p:</c> keys it with the configured pepper, so the stored hash alone cannot be attacked offline.
/// The HMAC's Base64 (44 characters) is what bcrypt hashes: well inside bcrypt's 72 bytes, no NUL. The bcrypt itself
/// (format check and cost bound, the check, the dummy, the rehash rule) is the password hasher's, shared.
/// </summary>
internal sealed class BcryptSupportPinHasher : ISupportPinHasher
{
    public const string PlainMarker = "aspin1:";
    public const string PepperedMarker = "aspin1p:";

    private static readonly byte[] DomainKey = "AccountSecurity/support-pin/v1"u8.ToArray();

    private readonly byte[]? _pepper;
    private readonly BcryptSecretHasher _bcrypt;

    public BcryptSupportPinHasher(IOptions<AccountSecurityOptions> options)
        : this(options, BcryptNetPrimitive.Instance)
    {
    }

    /// <summary>The seam tests use to count bcrypt computations.</summary>
    internal BcryptSupportPinHasher(IOptions<AccountSecurityOptions> options, IBcryptPrimitive bcrypt)
    {
        var value = options.Value;
        _bcrypt = new BcryptSecretHasher(value.SupportPin.EffectiveWorkFactor(value.Hashing), value.Hashing.EffectiveMaximumWorkFactor, bcrypt);

        // A copy: a host that later reuses or clears its array must not change how PINs hash.
        _pepper = value.SupportPin.Pepper is { } pepper ? [.. pepper] : null;
    }

    public string Hash(string pin) =>
        (_pepper is null ? PlainMarker : PepperedMarker) + _bcrypt.Hash(Prehash(pin, _pepper ?? DomainKey));

    public SupportPinHashCheck Verify(string? storedHash, string pin)
    {
        var (key, bcryptPart) = Parse(storedHash);
        var stored = _bcrypt.Inspect(bcryptPart);
        if (key is null || bcryptPart is null || stored == StoredBcrypt.Malformed)
        {
            return SupportPinHashCheck.Malformed;
        }

        if (stored == StoredBcrypt.CostTooHigh)
        {
            // Never computed: a PIN check cannot afford it any more than a sign-in can (one rule for every stored bcrypt hash).
            return SupportPinHashCheck.CostTooHigh;
        }

        switch (_bcrypt.Check(Prehash(pin, key), bcryptPart))
        {
            case SecretCheck.Malformed:
                return SupportPinHashCheck.Malformed;
            case SecretCheck.NoMatch:
                return SupportPinHashCheck.Failed;
        }

        // Current: made under the key now configured (the pepper when there is one), at no lower cost than configured.
        var current = ReferenceEquals(key, _pepper ?? DomainKey);
        return current && !_bcrypt.NeedsRehash(bcryptPart) ? SupportPinHashCheck.Success : SupportPinHashCheck.SuccessRehashNeeded;
    }

    /// <remarks>The PIN is prehashed as a real check would be; bcrypt then runs against the shared dummy.</remarks>
    public void VerifyDummy(string pin)
    {
        _ = Prehash(pin, DomainKey);
        _bcrypt.SpendDummy();
    }

    /// <summary>The HMAC key a stored hash was made under and its bcrypt part; no key for an unknown scheme, or a peppered hash without a pepper.</summary>
    private (byte[]? Key, string? BcryptPart) Parse(string? storedHash)
    {
        if (string.IsNullOrEmpty(storedHash))
        {
            return (null, null);
        }

        if (storedHash.StartsWith(PepperedMarker, StringComparison.Ordinal))
        {
            return (_pepper, storedHash[PepperedMarker.Length..]);
        }

        return storedHash.StartsWith(PlainMarker, StringComparison.Ordinal)
            ? (DomainKey, storedHash[PlainMarker.Length..])
            : (null, null);
    }

    private static string Prehash(string pin, byte[] key) =>
        BcryptSecretHasher.KeyedPrehash(HMACSHA256.HashData, key, Encoding.ASCII.GetBytes(pin));
}
