using System.Globalization;
using AccountSecurity.TwoFactor;
using AccountSecurity.TwoFactor.Totp;
using OtpNet;

namespace AccountSecurity.Testing;

/// <summary>
/// Plays the user's authenticator app in tests: reads the secret, algorithm, digits and period from an
/// <c>otpauth://totp/…</c> URI (as a phone scanning the setup's QR code would) and computes RFC 6238 codes at the
/// time of a <see cref="TimeProvider"/> (a <c>FakeTimeProvider</c> in tests).
/// </summary>
/// <remarks>
/// Codes are computed with Otp.NET, independently of the library's own verifier, so a test that signs in with a
/// generated code checks the library against a second implementation. For tests only: the secret stays in memory
/// for the generator's lifetime. <see cref="ToString"/> never shows the secret.
/// </remarks>
public sealed class TotpCodeGenerator
{
    private readonly byte[] _secret;
    private readonly TimeProvider _time;
    private readonly Totp _totp;

    private TotpCodeGenerator(byte[] secret, TotpAlgorithm algorithm, int digits, int periodSeconds, TimeProvider time)
    {
        _secret = secret;
        _time = time;
        Algorithm = algorithm;
        Digits = digits;
        PeriodSeconds = periodSeconds;
        var mode = algorithm switch
        {
            TotpAlgorithm.Sha256 => OtpHashMode.Sha256,
            TotpAlgorithm.Sha512 => OtpHashMode.Sha512,
            _ => OtpHashMode.Sha1,
        };
        _totp = new Totp(_secret, periodSeconds, mode, digits);
    }

    /// <summary>The HMAC algorithm the URI named (<see cref="TotpAlgorithm.Sha1"/> when it named none).</summary>
    public TotpAlgorithm Algorithm { get; }

    /// <summary>The number of digits of a code (6 when the URI named none).</summary>
    public int Digits { get; }

    /// <summary>The length of a time step in seconds (30 when the URI named none).</summary>
    public int PeriodSeconds { get; }

    /// <summary>Scans a two-factor setup: reads its <see cref="TwoFactorSetup.OtpAuthUri"/>.</summary>
    /// <param name="setup">The setup returned by <c>ITwoFactorService.BeginSetupAsync</c> or <c>ISignInService.BeginTwoFactorSetupAsync</c>.</param>
    /// <param name="time">The clock codes are computed at; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="setup"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The setup's URI is not a usable <c>otpauth://totp/</c> URI.</exception>
    public static TotpCodeGenerator FromSetup(TwoFactorSetup setup, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return FromOtpAuthUri(setup.OtpAuthUri, time);
    }

    /// <summary>Reads an <c>otpauth://totp/…</c> URI: <c>secret</c> (Base32, required), <c>algorithm</c>, <c>digits</c>, <c>period</c>.</summary>
    /// <param name="otpauthUri">The key URI, as the QR code carries it.</param>
    /// <param name="time">The clock codes are computed at; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="otpauthUri"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The URI is not an absolute <c>otpauth://totp/</c> URI, has no valid Base32
    /// secret, or names an unknown algorithm, digits outside 6 to 10, or a period outside 1 to 3600 seconds. The message
    /// never contains the secret.</exception>
    public static TotpCodeGenerator FromOtpAuthUri(string otpauthUri, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(otpauthUri);
        if (!Uri.TryCreate(otpauthUri, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Scheme, "otpauth", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(uri.Host, "totp", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("Not an otpauth://totp/ URI.", nameof(otpauthUri));
        }

        var query = ParseQuery(uri.Query);
        if (!query.TryGetValue("secret", out var base32) || !TryDecodeBase32(base32, out var secret))
        {
            throw new ArgumentException("The URI has no valid Base32 'secret' parameter.", nameof(otpauthUri));
        }

        var algorithm = query.TryGetValue("algorithm", out var name) ? name.ToUpperInvariant() switch
        {
            "SHA1" => TotpAlgorithm.Sha1,
            "SHA256" => TotpAlgorithm.Sha256,
            "SHA512" => TotpAlgorithm.Sha512,
            _ => throw new ArgumentException("The URI's 'algorithm' must be SHA1, SHA256 or SHA512.", nameof(otpauthUri)),
        } : TotpAlgorithm.Sha1;
        var digits = ReadInt(query, "digits", 6, 6, 10)
            ?? throw new ArgumentException("The URI's 'digits' must be a number from 6 to 10.", nameof(otpauthUri));
        var period = ReadInt(query, "period", 30, 1, 3600)
            ?? throw new ArgumentException("The URI's 'period' must be a number of seconds from 1 to 3600.", nameof(otpauthUri));
        return new TotpCodeGenerator(secret, algorithm, digits, period, time ?? TimeProvider.System);
    }

    /// <summary>The code an authenticator app shows now (by the generator's clock), with leading zeros.</summary>
    public string CurrentCode() => CodeAt(_time.GetUtcNow());

    /// <summary>The code for the time step that contains <paramref name="instant"/>, with leading zeros.</summary>
    public string CodeAt(DateTimeOffset instant) => _totp.ComputeTotp(instant.UtcDateTime);

    /// <summary>
    /// Distinct well-formed codes that are valid at none of the time steps within
    /// <see cref="TotpOptions.MaximumAllowedDriftSteps"/> of now, so a verifier with any allowed drift window refuses them.
    /// </summary>
    /// <param name="count">How many codes (0 to 1000).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above 1000.</exception>
    public IReadOnlyList<string> WrongCodes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1000);
        var now = _time.GetUtcNow();
        var drift = TotpOptions.MaximumAllowedDriftSteps;
        var valid = Enumerable.Range(-drift, (2 * drift) + 1)
            .Select(step => CodeAt(now.AddSeconds((double)step * PeriodSeconds)))
            .ToHashSet(StringComparer.Ordinal);
        var modulus = (long)Math.Pow(10, Digits);
        var start = long.Parse(CurrentCode(), CultureInfo.InvariantCulture);
        var format = "D" + Digits.ToString(CultureInfo.InvariantCulture);
        var codes = new List<string>(count);
        for (long i = 1; codes.Count < count; i++)
        {
            var candidate = ((start + (i * 7919)) % modulus).ToString(format, CultureInfo.InvariantCulture);
            if (!valid.Contains(candidate) && !codes.Contains(candidate, StringComparer.Ordinal))
            {
                codes.Add(candidate);
            }
        }

        return codes;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"TotpCodeGenerator {{ Algorithm = {Algorithm}, Digits = {Digits}, PeriodSeconds = {PeriodSeconds}, (secret hidden) }}";

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            result[Uri.UnescapeDataString(parts[0])] = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
        }

        return result;
    }

    private static bool TryDecodeBase32(string text, out byte[] secret)
    {
        secret = [];
        var cleaned = text.Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        if (cleaned.Length == 0 || cleaned.Any(c => c is not ((>= 'A' and <= 'Z') or (>= '2' and <= '7'))))
        {
            return false;
        }

        secret = Base32Encoding.ToBytes(cleaned);
        return secret.Length > 0;
    }

    /// <summary>The parameter's value, <paramref name="fallback"/> when absent, <see langword="null"/> when out of range or not a number.</summary>
    private static int? ReadInt(Dictionary<string, string> query, string name, int fallback, int min, int max)
    {
        if (!query.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null;
    }
}
