using AccountSecurity.Passwords.Hashing;

namespace AccountSecurity.SupportPin;

/// <summary>Settings of the support PIN: its length, how it is hashed, and what a user must prove to change it.</summary>
/// <remarks>Failure counting and lockout of PIN verification are configured in <see cref="Lockout.LockoutOptions.SupportPin"/>.</remarks>
public sealed class SupportPinOptions
{
    /// <summary>The smallest <see cref="MinLength"/> accepted.</summary>
    public const int LowestAllowedLength = 4;

    /// <summary>
    /// The largest <see cref="MaxLength"/> accepted, and the longest input verification reads: anything longer is
    /// refused before it is hashed, so a megabyte "PIN" costs nothing.
    /// </summary>
    public const int HighestAllowedLength = 32;

    /// <summary>The smallest pepper accepted, in bytes (256 bits).</summary>
    public const int MinimumPepperBytes = 32;

    /// <summary>The largest pepper accepted, in bytes (HMAC-SHA-256's block size).</summary>
    public const int MaximumPepperBytes = 64;

    /// <summary>The fewest digits a new PIN may have.</summary>
    /// <value>Defaults to 6. Between <see cref="LowestAllowedLength"/> and <see cref="MaxLength"/>.</value>
    public int MinLength { get; set; } = 6;

    /// <summary>The most digits a new PIN may have. PINs set under earlier, wider bounds still verify.</summary>
    /// <value>Defaults to 12. Between <see cref="MinLength"/> and <see cref="HighestAllowedLength"/>.</value>
    public int MaxLength { get; set; } = 12;

    /// <summary>
    /// An optional server-side secret mixed into every PIN hash (HMAC-SHA-256 keyed with it, before bcrypt), kept
    /// outside the user store (configuration, a key vault), so a stolen database alone is not enough to guess PINs
    /// offline. Configuration binding accepts it as a Base64 string. PINs hashed without a pepper keep verifying
    /// after one is configured and are re-hashed with it at their next successful verification; PINs hashed with a
    /// pepper can no longer be verified once it is removed or replaced (users then set a new PIN).
    /// </summary>
    /// <value>Defaults to <see langword="null"/> (no pepper). When set, <see cref="MinimumPepperBytes"/> to <see cref="MaximumPepperBytes"/> random bytes.</value>
    public byte[]? Pepper { get; set; }

    /// <summary>bcrypt's work factor for PIN hashes; <see langword="null"/> uses <see cref="PasswordHashingOptions.WorkFactor"/>.</summary>
    /// <value>Defaults to <see langword="null"/>. Same bounds as the password work factor (10 to 20, or from 4 with <see cref="PasswordHashingOptions.AllowInsecureWorkFactorForTesting"/>).</value>
    public int? WorkFactor { get; set; }

    /// <summary>
    /// Whether setting a first PIN requires the current password, as changing or removing one always does. Keeping it
    /// on means a stolen session cannot plant a PIN and then pass a support call as the user.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool RequirePasswordForFirstPin { get; set; } = true;

    /// <summary>
    /// PINs the host refuses in addition to the shipped list of common PINs (for example the contract's phone
    /// extension or customer number prefixes). Digits only; each entry is refused exactly, with <c>support_pin_common</c>.
    /// </summary>
    /// <value>Defaults to empty.</value>
    public ICollection<string> AdditionalBlocklist { get; } = new List<string>();

    internal int EffectiveWorkFactor(PasswordHashingOptions hashing) => WorkFactor ?? hashing.WorkFactor;

    internal IEnumerable<string> Validate(PasswordHashingOptions hashing)
    {
        if (MinLength < LowestAllowedLength || MinLength > HighestAllowedLength)
        {
            yield return $"SupportPin.MinLength must be between {LowestAllowedLength} and {HighestAllowedLength} (it is {MinLength}).";
        }

        if (MaxLength < MinLength || MaxLength > HighestAllowedLength)
        {
            yield return $"SupportPin.MaxLength must be between MinLength and {HighestAllowedLength} (it is {MaxLength}).";
        }

        if (Pepper is { Length: < MinimumPepperBytes or > MaximumPepperBytes })
        {
            yield return $"SupportPin.Pepper must be {MinimumPepperBytes} to {MaximumPepperBytes} random bytes (it has {Pepper.Length}).";
        }

        if (WorkFactor is { } workFactor)
        {
            var minimum = hashing.AllowInsecureWorkFactorForTesting ? 4 : PasswordHashingOptions.MinimumProductionWorkFactor;
            if (workFactor < minimum || workFactor > 20)
            {
                yield return $"SupportPin.WorkFactor must be between {minimum} and 20 (it is {workFactor}).";
            }
        }

        if (AdditionalBlocklist is null)
        {
            yield return "SupportPin.AdditionalBlocklist must not be null.";
        }
        else if (AdditionalBlocklist.Any(p => string.IsNullOrEmpty(p) || p.Length > HighestAllowedLength || !p.All(char.IsAsciiDigit)))
        {
            yield return $"SupportPin.AdditionalBlocklist entries must be 1 to {HighestAllowedLength} ASCII digits.";
        }
    }
}
