using AccountSecurity.Results;

namespace AccountSecurity.TwoFactor.Totp;

/// <summary>
/// RFC 6238 time-based one-time passwords for authenticator apps: secret generation, the otpauth URI and its QR
/// code for enrolment, and code verification within a bounded drift window with replay detection.
/// </summary>
/// <remarks>
/// Stateless: the caller stores the (protected) secret and the last accepted time step, and must update that step
/// with optimistic concurrency after a success so a code is accepted at most once. Implementations never log, throw
/// with, or put in a <c>ToString()</c> a secret or a code.
/// </remarks>
public interface ITotpProvider
{
    /// <summary>
    /// Generates a new shared secret of <see cref="TotpOptions.SecretSizeBytes"/> bytes (at least 160 bits) from a
    /// cryptographically secure random number generator. Dispose it once protected and shown.
    /// </summary>
    TotpSecret GenerateSecret();

    /// <summary>
    /// Formats a Base32 secret for typing by hand: upper case, in groups of four characters separated by single
    /// spaces (<c>JBSW Y3DP EHPK 3PXP</c>). Authenticator apps ignore the spaces.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="base32Secret"/> is <see langword="null"/>.</exception>
    string FormatManualEntryKey(string base32Secret);

    /// <summary>
    /// Builds the <c>otpauth://totp/…</c> key URI (the de-facto "Key Uri Format") that authenticator apps read from
    /// the QR code: the issuer from <see cref="TotpOptions.Issuer"/> both as label prefix and as <c>issuer</c>
    /// parameter, issuer and account percent-encoded (spaces as <c>%20</c>, never <c>+</c>), and the algorithm,
    /// digits and period from <see cref="TotpOptions"/>.
    /// </summary>
    /// <param name="accountName">The user's account name as the app should show it, usually the e-mail address.
    /// It is user data, so problems with it are a failure result, not an exception.</param>
    /// <param name="base32Secret">The secret from <see cref="TotpSecret.ToBase32"/>.</param>
    /// <returns>The URI; or a failure with <see cref="SecurityErrorCodes.TotpAccountNameInvalid"/> when the account name is
    /// empty, longer than 256 characters, holds a control, line-separator, invisible or bidi control character, or is not valid text. A <c>':'</c> in the account
    /// name (legal in e-mail addresses) is shown as U+A789 MODIFIER LETTER COLON, because apps split the label at
    /// every colon, encoded or not.</returns>
    /// <exception cref="ArgumentException"><paramref name="base32Secret"/> is null, empty or not unpadded upper-case
    /// Base32 (a caller bug: it always comes from <see cref="TotpSecret.ToBase32"/>).</exception>
    SecurityResult<string> BuildUri(string? accountName, string base32Secret);

    /// <summary>Renders a QR code of <paramref name="otpauthUri"/> as an SVG document, locally (never over a network).</summary>
    /// <param name="otpauthUri">The URI from <see cref="BuildUri"/>.</param>
    /// <param name="pixelsPerModule">The size of one QR module in SVG units (1 to 40).</param>
    /// <exception cref="ArgumentException">The URI is null, empty or longer than 2048 characters, or the size is out of range.</exception>
    string RenderQrCodeSvg(string otpauthUri, int pixelsPerModule = 6);

    /// <summary>Renders a QR code of <paramref name="otpauthUri"/> as PNG bytes, locally (never over a network).</summary>
    /// <param name="otpauthUri">The URI from <see cref="BuildUri"/>.</param>
    /// <param name="pixelsPerModule">The width of one QR module in pixels (1 to 40).</param>
    /// <exception cref="ArgumentException">The URI is null, empty or longer than 2048 characters, or the size is out of range.</exception>
    byte[] RenderQrCodePng(string otpauthUri, int pixelsPerModule = 6);

    /// <summary>
    /// Verifies a code typed by the user against <paramref name="secret"/> at the current time (from the injected
    /// <see cref="TimeProvider"/>), accepting the current time step and <see cref="TotpOptions.AllowedDriftSteps"/>
    /// steps on either side. Every candidate is computed and compared in constant time.
    /// </summary>
    /// <param name="secret">The raw shared secret.</param>
    /// <param name="code">The code as typed: leading zeros count, ASCII spaces are ignored; anything else that is
    /// not exactly <see cref="TotpOptions.Digits"/> digits is <see cref="TotpVerificationStatus.Malformed"/>. Null,
    /// huge or hostile input never throws.</param>
    /// <param name="lastAcceptedTimeStep">The time step of the user's last accepted code, or <see langword="null"/>.
    /// A code that matches only steps at or before it is <see cref="TotpVerificationStatus.Replayed"/>.</param>
    /// <returns>Success with the matched time step (the latest one after <paramref name="lastAcceptedTimeStep"/> if
    /// several match), or the reason for refusal.</returns>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is empty (a caller bug).</exception>
    TotpVerificationResult Verify(ReadOnlySpan<byte> secret, string? code, long? lastAcceptedTimeStep);
}
