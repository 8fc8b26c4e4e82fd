using AccountSecurity.Localization;
using AccountSecurity.Results;

namespace AccountSecurity.SupportPin;

/// <summary>
/// The format and triviality rules of a support PIN. Pure functions of the text: they never log, and their errors
/// never echo the PIN.
/// </summary>
internal static class SupportPinRules
{
    /// <summary>
    /// Every problem of <paramref name="pin"/> as a new PIN: format problems first (required, digits only, length);
    /// when the format is fine, the one triviality rule it breaks, if any. Empty when the PIN may be used.
    /// </summary>
    public static List<SecurityError> Validate(string? pin, SupportPinOptions options)
    {
        var errors = new List<SecurityError>();
        if (string.IsNullOrEmpty(pin))
        {
            errors.Add(RequiredError());
            return errors;
        }

        if (!IsAsciiDigits(pin))
        {
            errors.Add(NotDigitsError());
        }

        if (pin.Length < options.MinLength)
        {
            errors.Add(new SecurityError(SecurityErrorCodes.SupportPinTooShort, Localized.Format(UserMessages.SupportPinTooShort, options.MinLength)));
        }
        else if (pin.Length > options.MaxLength)
        {
            errors.Add(new SecurityError(SecurityErrorCodes.SupportPinTooLong, Localized.Format(UserMessages.SupportPinTooLong, options.MaxLength)));
        }

        if (errors.Count == 0 && Triviality(pin, options) is { } trivial)
        {
            errors.Add(trivial);
        }

        return errors;
    }

    /// <summary>
    /// The one problem that stops <paramref name="pin"/> from being checked at all: missing, not digits, or longer
    /// than any PIN can be. Length bounds of new PINs are not applied, so PINs set under earlier options still verify.
    /// </summary>
    public static SecurityError? ValidateForVerification(string? pin)
    {
        if (string.IsNullOrEmpty(pin))
        {
            return RequiredError();
        }

        if (pin.Length > SupportPinOptions.HighestAllowedLength)
        {
            return new SecurityError(SecurityErrorCodes.SupportPinTooLong, Localized.Format(UserMessages.SupportPinAtMostDigits, SupportPinOptions.HighestAllowedLength));
        }

        return IsAsciiDigits(pin) ? null : NotDigitsError();
    }

    /// <summary>The triviality rule a well-formed PIN breaks, or <see langword="null"/>.</summary>
    public static SecurityError? Triviality(string pin, SupportPinOptions options)
    {
        if (IsSameDigit(pin))
        {
            return new SecurityError(SecurityErrorCodes.SupportPinSameDigit, UserMessages.SupportPinSameDigit);
        }

        if (IsRun(pin))
        {
            return new SecurityError(SecurityErrorCodes.SupportPinSequential, UserMessages.SupportPinSequential);
        }

        if (IsRepeatedBlock(pin) || IsMirroredRun(pin) || IsGroupedPattern(pin))
        {
            return new SecurityError(SecurityErrorCodes.SupportPinPattern, UserMessages.SupportPinPattern);
        }

        if (CommonSupportPins.Contains(pin) || options.AdditionalBlocklist.Contains(pin))
        {
            return new SecurityError(SecurityErrorCodes.SupportPinCommon, UserMessages.SupportPinCommon);
        }

        return null;
    }

    public static bool IsAsciiDigits(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One digit repeated: <c>000000</c>.</summary>
    public static bool IsSameDigit(string pin) => pin.Length > 0 && pin.AsSpan().IndexOfAnyExcept(pin[0]) < 0;

    /// <summary>
    /// Each digit one more (or each one less) than the one before, wrapping from 9 to 0 (and 0 to 9): <c>123456</c>,
    /// <c>654321</c>, <c>890123</c>, <c>1234567890</c>. Wrapping is included because such PINs are still read off
    /// the keypad's row of digits in order.
    /// </summary>
    public static bool IsRun(string pin) => pin.Length >= 2 && IsRun(pin.AsSpan());

    /// <summary>A shorter block repeated to fill the PIN: <c>121212</c>, <c>123123</c>, <c>12341234</c>.</summary>
    public static bool IsRepeatedBlock(string pin)
    {
        for (var block = 1; block <= pin.Length / 2; block++)
        {
            if (pin.Length % block != 0)
            {
                continue;
            }

            var repeats = true;
            for (var i = block; i < pin.Length && repeats; i++)
            {
                repeats = pin[i] == pin[i - block];
            }

            if (repeats)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A run followed by its mirror image: <c>123321</c>, <c>987789</c>, <c>12344321</c>.</summary>
    public static bool IsMirroredRun(string pin)
    {
        if (pin.Length < 4 || pin.Length % 2 != 0)
        {
            return false;
        }

        var half = pin.Length / 2;
        for (var i = 0; i < half; i++)
        {
            if (pin[i] != pin[pin.Length - 1 - i])
            {
                return false;
            }
        }

        return IsRun(pin.AsSpan(0, half));
    }

    /// <summary>
    /// Equal-sized groups of one digit each, where the group digits form a run (<c>112233</c>, <c>998877</c>,
    /// <c>111222</c>) or there are just two groups (<c>111000</c>, <c>000999</c>).
    /// </summary>
    public static bool IsGroupedPattern(string pin)
    {
        if (pin.Length > SupportPinOptions.HighestAllowedLength)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[SupportPinOptions.HighestAllowedLength];
        for (var size = 2; size <= pin.Length / 2; size++)
        {
            if (pin.Length % size != 0)
            {
                continue;
            }

            var heads = buffer[..(pin.Length / size)];
            var grouped = true;
            for (var g = 0; g < heads.Length && grouped; g++)
            {
                var group = pin.AsSpan(g * size, size);
                heads[g] = group[0];
                grouped = group.IndexOfAnyExcept(group[0]) < 0;
            }

            if (grouped && (heads.Length == 2 || IsRun(heads)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRun(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2)
        {
            return false;
        }

        var step = (digits[1] - digits[0] + 10) % 10;
        if (step is not (1 or 9))
        {
            return false;
        }

        for (var i = 2; i < digits.Length; i++)
        {
            if ((digits[i] - digits[i - 1] + 10) % 10 != step)
            {
                return false;
            }
        }

        return true;
    }

    private static SecurityError RequiredError() => new(SecurityErrorCodes.SupportPinRequired, UserMessages.SupportPinRequired);

    private static SecurityError NotDigitsError() => new(SecurityErrorCodes.SupportPinNotDigits, UserMessages.SupportPinDigitsOnly);
}
