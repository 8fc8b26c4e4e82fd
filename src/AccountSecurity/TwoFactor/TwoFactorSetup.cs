namespace AccountSecurity.TwoFactor;

/// <summary>
/// What the setup assistant shows: the QR code to scan and the key for manual entry. Shown once; the secret is
/// stored only encrypted. <see cref="ToString"/> prints none of it.
/// </summary>
/// <param name="ManualEntryKey">The Base32 secret in groups of four, for typing into an app.</param>
/// <param name="OtpAuthUri">The <c>otpauth://totp/</c> URI the QR code encodes.</param>
/// <param name="QrCodeSvg">The QR code as an SVG document, rendered locally.</param>
/// <param name="QrCodePng">The QR code as PNG bytes, rendered locally.</param>
public sealed record TwoFactorSetup(string ManualEntryKey, string OtpAuthUri, string QrCodeSvg, byte[] QrCodePng)
{
    /// <inheritdoc />
    public override string ToString() => "TwoFactorSetup { (secret material hidden) }";
}
