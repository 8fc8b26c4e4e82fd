namespace AccountSecurity.Results;

/// <summary>
/// One expected failure: a stable, machine-readable <see cref="Code"/> a host can switch on and a
/// human <see cref="Message"/> that tells the user what to do.
/// </summary>
/// <remarks>Never carries a password, code, PIN, secret or token, so it is safe to log and to show.</remarks>
/// <param name="Code">A stable code such as <c>password_too_short</c>; see the <c>*ErrorCodes</c> classes.</param>
/// <param name="Message">
/// A sentence for the user in <see cref="System.Globalization.CultureInfo.CurrentUICulture"/> when it was made (English and
/// German ship; any other language falls back to English). Never switch on it: <paramref name="Code"/> is the stable part.
/// </param>
public sealed record SecurityError(string Code, string Message)
{
    /// <summary>For <see cref="SecurityErrorCodes.Busy"/>: how long to wait before trying again (whole seconds); otherwise <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The input the error is about, as the JSON member a client sent it in (for example <c>newPassword</c>), when one
    /// input is to blame; otherwise <see langword="null"/>. Never the input's value.
    /// </summary>
    public string? Field { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
