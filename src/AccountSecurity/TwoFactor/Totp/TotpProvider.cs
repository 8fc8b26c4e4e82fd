using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Localization;
using AccountSecurity.Results;
using Microsoft.Extensions.Options;
using QRCoder;

namespace AccountSecurity.TwoFactor.Totp;

/// <summary>
/// The default <see cref="ITotpProvider"/>: RFC 6238 with the settings of <see cref="AccountSecurityOptions.Totp"/>,
/// Base32 from Otp.NET, QR codes rendered locally by QRCoder.
/// </summary>
/// <remarks>
/// Verification is a hot path (every second-factor sign-in) and computes the HOTP values itself with the platform's
/// HMAC (<see cref="IncrementalHash.CreateHMAC(HashAlgorithmName, ReadOnlySpan{byte})"/>), keyed once per verification
/// and reset between the window's steps, into stack buffers: one HMAC object per call and nothing else, where Otp.NET's
/// <c>Totp</c> (kept as the reference implementation in the test suite) allocates about a kilobyte.
/// </remarks>
public sealed class TotpProvider : ITotpProvider
{
    private const int MaximumAccountNameLength = 256;
    private const int MaximumUriLength = 2048;

    // How a ':' inside the account name is shown in the otpauth label (see LabelAccountName).
    private const char LabelColon = '\uA789';

    // Longest input worth parsing: 8 digits with generous spacing. Anything longer is refused before it is read.
    private const int MaximumCodeInputLength = 64;

    private readonly TimeProvider _timeProvider;
    private readonly HashAlgorithmName _hashName;
    private readonly int _digits;
    private readonly int _modulus;
    private readonly int _period;
    private readonly int _drift;
    private readonly int _secretSize;
    private readonly string _escapedIssuer;
    private readonly string _uriParameters;

    /// <summary>Creates the provider with the validated <see cref="AccountSecurityOptions.Totp"/> settings.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid (for example no issuer).</exception>
    public TotpProvider(IOptions<AccountSecurityOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var totp = options.Value.Totp;
        _timeProvider = timeProvider;
        _hashName = totp.Algorithm switch
        {
            TotpAlgorithm.Sha256 => HashAlgorithmName.SHA256,
            TotpAlgorithm.Sha512 => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA1,
        };
        _digits = totp.Digits;
        _modulus = totp.Digits == 8 ? 100_000_000 : 1_000_000;
        _period = totp.PeriodSeconds;
        _drift = totp.AllowedDriftSteps;
        _secretSize = totp.SecretSizeBytes;
        _escapedIssuer = Uri.EscapeDataString(totp.Issuer ?? string.Empty);
        var algorithmName = totp.Algorithm switch
        {
            TotpAlgorithm.Sha256 => "SHA256",
            TotpAlgorithm.Sha512 => "SHA512",
            _ => "SHA1",
        };
        _uriParameters = $"&issuer={_escapedIssuer}&algorithm={algorithmName}&digits={_digits}&period={_period}";
    }

    /// <inheritdoc />
    public TotpSecret GenerateSecret() => new(RandomNumberGenerator.GetBytes(_secretSize));

    /// <inheritdoc />
    public string FormatManualEntryKey(string base32Secret)
    {
        ArgumentNullException.ThrowIfNull(base32Secret);
        var builder = new StringBuilder(base32Secret.Length + (base32Secret.Length / 4));
        var written = 0;
        foreach (var c in base32Secret)
        {
            if (c is ' ' or '=')
            {
                continue;
            }

            if (written > 0 && written % 4 == 0)
            {
                builder.Append(' ');
            }

            builder.Append(char.ToUpperInvariant(c));
            written++;
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public SecurityResult<string> BuildUri(string? accountName, string base32Secret)
    {
        if (string.IsNullOrEmpty(base32Secret) || !IsUnpaddedBase32(base32Secret))
        {
            throw new ArgumentException("The secret must be unpadded upper-case Base32, as TotpSecret.ToBase32() returns it.", nameof(base32Secret));
        }

        // The label is what the app shows to tell accounts apart: no control, line-separator, invisible or bidi
        // control character may make it look like another one (an e-mail address never has one).
        if (!Accounts.InputText.IsName(accountName, MaximumAccountNameLength) || Accounts.InputText.ContainsInvisibleOrBidiControl(accountName))
        {
            return SecurityResult<string>.Failed(new SecurityError(
                SecurityErrorCodes.TotpAccountNameInvalid,
                Localized.Format(UserMessages.TotpAccountNameInvalid, MaximumAccountNameLength)));
        }

        // Uri.EscapeDataString follows RFC 3986: a space becomes %20 (never '+', which apps would show literally).
        return SecurityResult<string>.Success(
            $"otpauth://totp/{_escapedIssuer}:{Uri.EscapeDataString(LabelAccountName(accountName))}?secret={base32Secret}{_uriParameters}");
    }

    /// <summary>
    /// The account name as the otpauth label shows it. Authenticator apps percent-decode the whole label and then
    /// split it at a colon into issuer and account (Key Uri Format: "neither issuer nor account name may themselves
    /// contain a colon"; a literal or <c>%3A</c> colon both separate), so a colon in the account — legal in an
    /// e-mail address such as <c>a:b@example.com</c> — cannot be escaped: any app would take <c>a</c> for part of the
    /// issuer. It is shown instead as U+A789 MODIFIER LETTER COLON, which looks the same and splits nothing;
    /// <see cref="AccountNameFromLabel"/> reverses it (exactly, for every name without a U+A789 of its own).
    /// </summary>
    internal static string LabelAccountName(string accountName) => accountName.Replace(':', LabelColon);

    /// <summary>The account name a label's account part stands for (the inverse of <see cref="LabelAccountName"/>).</summary>
    internal static string AccountNameFromLabel(string labelAccountName) => labelAccountName.Replace(LabelColon, ':');

    /// <inheritdoc />
    public string RenderQrCodeSvg(string otpauthUri, int pixelsPerModule = 6)
    {
        ValidateQrArguments(otpauthUri, pixelsPerModule);
        using var data = CreateQrData(otpauthUri);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(pixelsPerModule, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    /// <inheritdoc />
    public byte[] RenderQrCodePng(string otpauthUri, int pixelsPerModule = 6)
    {
        ValidateQrArguments(otpauthUri, pixelsPerModule);
        using var data = CreateQrData(otpauthUri);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(pixelsPerModule);
    }

    /// <inheritdoc />
    public TotpVerificationResult Verify(ReadOnlySpan<byte> secret, string? code, long? lastAcceptedTimeStep)
    {
        if (secret.IsEmpty)
        {
            throw new ArgumentException("The TOTP secret is empty.", nameof(secret));
        }

        if (!TryParseCode(code, _digits, out var expected))
        {
            return TotpVerificationResult.Failure(TotpVerificationStatus.Malformed);
        }

        var current = Math.DivRem(_timeProvider.GetUtcNow().ToUnixTimeSeconds(), _period, out var remainder);
        if (remainder < 0)
        {
            current--; // floor division for instants before 1970
        }

        var last = lastAcceptedTimeStep ?? long.MinValue;
        Span<byte> counter = stackalloc byte[sizeof(long)];
        Span<byte> mac = stackalloc byte[HMACSHA512.HashSizeInBytes];

        // Every candidate is computed and compared; matches are folded in with masks, so the work and the branches
        // taken do not depend on whether or where the code matched.
        var anyMatch = 0;
        var anyFresh = 0;
        var bestFresh = 0L;
        // Keyed once for the whole window: the platform's one-shot HashData re-derives the key schedule (and, on
        // OpenSSL, fetches the algorithm) for every step, which measured about 1.8x slower for three steps than one
        // IncrementalHash reset between them (benchmarks/README.md). The price is this one object per verification.
        using var hmac = IncrementalHash.CreateHMAC(_hashName, secret);
        for (var step = current - _drift; step <= current + _drift; step++)
        {
            var candidate = ComputeCode(hmac, step, counter, mac);
            var equal = (int)((uint)((candidate ^ expected) - 1) >> 31); // 1 when equal, else 0 (both are < 2^31)
            var fresh = equal & (step > last ? 1 : 0);
            anyMatch |= equal;
            anyFresh |= fresh;
            var mask = -(long)fresh;
            bestFresh = (step & mask) | (bestFresh & ~mask); // ascending steps: the latest fresh match wins
        }

        CryptographicOperations.ZeroMemory(mac);
        if (anyFresh != 0)
        {
            return TotpVerificationResult.Success(bestFresh);
        }

        return TotpVerificationResult.Failure(anyMatch != 0 ? TotpVerificationStatus.Replayed : TotpVerificationStatus.Invalid);
    }

    /// <summary>The RFC 4226 HOTP value of <paramref name="step"/> under <paramref name="secret"/> (for tests and one-off use).</summary>
    internal int ComputeCode(ReadOnlySpan<byte> secret, long step, Span<byte> counter, Span<byte> mac)
    {
        using var hmac = IncrementalHash.CreateHMAC(_hashName, secret);
        return ComputeCode(hmac, step, counter, mac);
    }

    /// <summary>
    /// The RFC 4226 HOTP value of <paramref name="step"/>, computed with an HMAC already keyed with the secret into
    /// caller-provided buffers. Leaves <paramref name="hmac"/> reset, ready for the next step.
    /// </summary>
    private int ComputeCode(IncrementalHash hmac, long step, Span<byte> counter, Span<byte> mac)
    {
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        hmac.AppendData(counter);
        var length = hmac.GetHashAndReset(mac);
        return Truncate(mac[..length]);
    }

    /// <summary>Dynamic truncation, RFC 4226 section 5.3.</summary>
    private int Truncate(ReadOnlySpan<byte> mac)
    {
        var offset = mac[^1] & 0x0F;
        var binary = ((mac[offset] & 0x7F) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        return binary % _modulus;
    }

    private static bool TryParseCode(string? code, int digits, out int value)
    {
        value = 0;
        if (code is null || code.Length > MaximumCodeInputLength)
        {
            return false;
        }

        var count = 0;
        foreach (var c in code)
        {
            if (c == ' ')
            {
                continue;
            }

            if (c is < '0' or > '9' || count == digits)
            {
                return false;
            }

            value = (value * 10) + (c - '0');
            count++;
        }

        return count == digits;
    }

    private static bool IsUnpaddedBase32(string text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= '2' and <= '7')))
            {
                return false;
            }
        }

        return true;
    }

    private static void ValidateQrArguments(string otpauthUri, int pixelsPerModule)
    {
        ArgumentException.ThrowIfNullOrEmpty(otpauthUri);
        if (otpauthUri.Length > MaximumUriLength)
        {
            throw new ArgumentException($"The URI is longer than {MaximumUriLength} characters.", nameof(otpauthUri));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(pixelsPerModule, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pixelsPerModule, 40);
    }

    private static QRCodeData CreateQrData(string text)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
    }
}
