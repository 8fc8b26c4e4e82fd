using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AccountSecurity.DependencyInjection;
using Microsoft.Extensions.Options;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AccountSecurity.SupportPin;

/// <summary>
/// bcrypt over an HMAC-SHA-256 of the PIN. Scheme <c>aspin1:</c> keys the HMAC with a fixed domain-separation key;
/// scheme <c>aspin1p:</c> keys it with the configured pepper, so the stored hash alone cannot be attacked offline.
/// The HMAC's Base64 (44 characters) is what bcrypt hashes: well inside bcrypt's 72 bytes, no NUL.
/// </summary>
internal sealed partial class BcryptSupportPinHasher : ISupportPinHasher
{
    public const string PlainMarker = "aspin1:";
    public const string PepperedMarker = "aspin1p:";

    private static readonly byte[] DomainKey = "AccountSecurity/support-pin/v1"u8.ToArray();

    private readonly int _workFactor;
    private readonly int _maximumWorkFactor;
    private readonly byte[]? _pepper;
    private readonly Lazy<string> _dummyHash;

    public BcryptSupportPinHasher(IOptions<AccountSecurityOptions> options)
    {
        var value = options.Value;
        _workFactor = value.SupportPin.EffectiveWorkFactor(value.Hashing);
        _maximumWorkFactor = value.Hashing.MaximumWorkFactor;

        // A copy: a host that later reuses or clears its array must not change how PINs hash.
        _pepper = value.SupportPin.Pepper is { } pepper ? [.. pepper] : null;

        // A real hash of random digits under the configured scheme and cost: checking against it costs a real check.
        _dummyHash = new Lazy<string>(() => Hash(RandomNumberGenerator.GetInt32(100_000_000).ToString("D8", CultureInfo.InvariantCulture)));
    }

    public string Hash(string pin) =>
        (_pepper is null ? PlainMarker : PepperedMarker) + BCryptNet.HashPassword(Prehash(pin, _pepper ?? DomainKey), _workFactor);

    public SupportPinHashCheck Verify(string? storedHash, string pin)
    {
        if (string.IsNullOrEmpty(storedHash))
        {
            return SupportPinHashCheck.Malformed;
        }

        byte[] key;
        string bcryptPart;
        if (storedHash.StartsWith(PepperedMarker, StringComparison.Ordinal))
        {
            if (_pepper is null)
            {
                return SupportPinHashCheck.Malformed;
            }

            key = _pepper;
            bcryptPart = storedHash[PepperedMarker.Length..];
        }
        else if (storedHash.StartsWith(PlainMarker, StringComparison.Ordinal))
        {
            key = DomainKey;
            bcryptPart = storedHash[PlainMarker.Length..];
        }
        else
        {
            return SupportPinHashCheck.Malformed;
        }

        // A cost above the configured bound is refused before anything is computed ($2b$31$ would take days).
        if (!BcryptFormat().IsMatch(bcryptPart) || CostOf(bcryptPart) > _maximumWorkFactor)
        {
            return SupportPinHashCheck.Malformed;
        }

        string computed;
        try
        {
            // Hash with the stored salt and cost, then compare ourselves in constant time.
            computed = BCryptNet.HashPassword(Prehash(pin, key), bcryptPart);
        }
#pragma warning disable CA1031 // A corrupt hash is data, not a bug: it must fail closed, never escape as an exception.
        catch (Exception)
#pragma warning restore CA1031
        {
            return SupportPinHashCheck.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(bcryptPart)))
        {
            return SupportPinHashCheck.Failed;
        }

        var current = ReferenceEquals(key, _pepper) || (_pepper is null && ReferenceEquals(key, DomainKey));
        return current && CostOf(bcryptPart) >= _workFactor ? SupportPinHashCheck.Success : SupportPinHashCheck.SuccessRehashNeeded;
    }

    public void VerifyDummy(string pin) => _ = Verify(_dummyHash.Value, pin);

    private static string Prehash(string pin, byte[] key)
    {
        var bytes = Encoding.ASCII.GetBytes(pin);
        try
        {
            return Convert.ToBase64String(HMACSHA256.HashData(key, bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static int CostOf(string bcryptHash) => int.Parse(bcryptHash.AsSpan(4, 2), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex BcryptFormat();
}
