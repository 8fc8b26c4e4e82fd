namespace AccountSecurity.Accounts;

/// <summary>E-mail helpers shared by every store, so that look-ups are case-insensitive everywhere alike.</summary>
public static class EmailAddress
{
    /// <summary>The longest e-mail address accepted (RFC 5321's path limit).</summary>
    public const int MaxLength = 254;

    /// <summary>
    /// The form stores index and compare: trimmed and upper-cased invariantly. Never throws for non-null input.
    /// </summary>
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToUpperInvariant();
    }

    /// <summary>
    /// Whether <paramref name="email"/> is plausibly an address: bounded, one <c>@</c>, non-empty parts, no control
    /// characters, no white space, well-formed text (no lone surrogate, which a store's strict UTF-8 encoder would throw on, and no noncharacter),
    /// and no invisible or bidi control character (zero-width space, soft hyphen, right-to-left override…), which would
    /// let an address look like another one. Never throws; an implausible address names no account.
    /// </summary>
    public static bool IsPlausible(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        var trimmed = email.Trim();
        if (trimmed.Length > MaxLength || trimmed.Any(char.IsControl) || trimmed.Any(char.IsWhiteSpace) || !InputText.IsWellFormed(trimmed)
            || InputText.ContainsInvisibleOrBidiControl(trimmed))
        {
            return false;
        }

        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == trimmed.LastIndexOf('@') && at < trimmed.Length - 1;
    }

    /// <summary>The part before the <c>@</c>, or the whole input when there is none.</summary>
    public static string LocalPart(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? email : email[..at];
    }
}
