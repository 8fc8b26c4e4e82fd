namespace AccountSecurity.Results;

/// <summary>
/// The outcome of an operation that can fail in an expected way: success, or every reason it failed.
/// </summary>
/// <remarks>
/// Expected failures (a wrong password, a policy violation, a lockout) come back as values; exceptions are
/// reserved for caller bugs (<see cref="ArgumentNullException"/>) and misconfiguration.
/// </remarks>
public class SecurityResult
{
    private static readonly SecurityResult SuccessInstance = new([], null);

    /// <summary>Creates a result.</summary>
    /// <param name="errors">The failures; empty for success.</param>
    /// <param name="lockedOutUntil">When a lockout that caused the failure ends, if one did.</param>
    protected SecurityResult(IReadOnlyList<SecurityError> errors, DateTimeOffset? lockedOutUntil)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors;
        LockedOutUntil = lockedOutUntil;
    }

    /// <summary>Whether the operation succeeded.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Every failure, each with a stable code; empty on success.</summary>
    public IReadOnlyList<SecurityError> Errors { get; }

    /// <summary>When the lockout that refused this operation ends; <see langword="null"/> when no lockout is involved.</summary>
    public DateTimeOffset? LockedOutUntil { get; }

    /// <summary>The code of the first error (see <see cref="SecurityErrorCodes"/>); <see langword="null"/> on success.</summary>
    public string? ErrorCode => Errors.Count == 0 ? null : Errors[0].Code;

    /// <summary>
    /// For a <see cref="SecurityErrorCodes.Busy"/> failure: how long to wait before trying again (whole seconds);
    /// otherwise <see langword="null"/>.
    /// </summary>
    public TimeSpan? RetryAfter => Errors.Count == 0 ? null : Errors[0].RetryAfter;

    /// <summary>Whether any error carries <paramref name="code"/>.</summary>
    public bool HasError(string code) => Errors.Any(e => e.Code == code);

    /// <summary>A successful result.</summary>
    public static SecurityResult Success() => SuccessInstance;

    /// <summary>A failed result carrying <paramref name="errors"/> (at least one).</summary>
    public static SecurityResult Failed(params SecurityError[] errors) => new(RequireErrors(errors), null);

    /// <summary>A failed result carrying <paramref name="errors"/> (at least one).</summary>
    public static SecurityResult Failed(IEnumerable<SecurityError> errors) => new(RequireErrors(errors), null);

    /// <summary>A failed result caused by a lockout that lasts until <paramref name="until"/>.</summary>
    public static SecurityResult LockedOut(SecurityError error, DateTimeOffset until) => new([error], until);

    /// <inheritdoc />
    public override string ToString() =>
        Succeeded ? "Succeeded" : "Failed: " + string.Join(", ", Errors.Select(e => e.Code));

    /// <summary>
    /// Whether <paramref name="obj"/> is a result of the same type that answers the same: the same errors (codes,
    /// messages, fields, retry delays) in the same order, the same lock end, and the same value and status. Lets a test
    /// (or a host) state that two answers are indistinguishable, as an unknown e-mail's and a wrong password's must be.
    /// </summary>
    public override bool Equals(object? obj) =>
        obj is SecurityResult other && other.GetType() == GetType() && EqualsCore(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(GetType(), Errors.Count, Errors.Count == 0 ? null : Errors[0].Code, LockedOutUntil);

    /// <summary>Compares what a derived result adds (its value, its status); <paramref name="other"/> has this result's type.</summary>
    /// <param name="other">A result of exactly this result's type.</param>
    protected virtual bool EqualsCore(SecurityResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Errors.SequenceEqual(other.Errors) && LockedOutUntil == other.LockedOutUntil;
    }

    private protected static SecurityError[] RequireErrors(IEnumerable<SecurityError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var array = errors.ToArray();
        if (array.Length == 0)
        {
            throw new ArgumentException("A failed result needs at least one error.", nameof(errors));
        }

        return array;
    }
}

/// <summary>
/// A <see cref="SecurityResult"/> that carries a value on success. Results with a status of their own
/// (<see cref="SignIn.SignInResult"/>, <see cref="SupportPin.SupportPinVerificationResult"/>) derive from it, so every
/// service answers in one shape: <see cref="SecurityResult.Succeeded"/>, <see cref="SecurityResult.Errors"/> with stable
/// codes, <see cref="SecurityResult.LockedOutUntil"/> and <see cref="Value"/>.
/// </summary>
/// <typeparam name="T">The value a successful operation produces.</typeparam>
public class SecurityResult<T> : SecurityResult
{
    private readonly T? _value;

    /// <summary>Creates a result: a value and no errors for success, or no value and at least one error.</summary>
    /// <param name="value">The value of a success; ignored for a failure.</param>
    /// <param name="errors">The failures; empty for success.</param>
    /// <param name="lockedOutUntil">When a lockout that caused the failure ends, if one did.</param>
    protected SecurityResult(T? value, IReadOnlyList<SecurityError> errors, DateTimeOffset? lockedOutUntil)
        : base(errors, lockedOutUntil) => _value = value;

    /// <summary>The value; throws <see cref="InvalidOperationException"/> when the operation failed.</summary>
    public T Value => Succeeded
        ? _value!
        : throw new InvalidOperationException("The operation failed; inspect Errors instead of Value.");

    /// <inheritdoc />
    protected override bool EqualsCore(SecurityResult other) =>
        base.EqualsCore(other) && other is SecurityResult<T> typed && EqualityComparer<T?>.Default.Equals(_value, typed._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => base.Equals(obj);

    /// <inheritdoc />
    public override int GetHashCode() => base.GetHashCode();

    /// <summary>A successful result carrying <paramref name="value"/>.</summary>
    public static SecurityResult<T> Success(T value) => new(value, [], null);

    /// <summary>A failed result carrying <paramref name="errors"/> (at least one).</summary>
    public static new SecurityResult<T> Failed(params SecurityError[] errors) => new(default, RequireErrors(errors), null);

    /// <summary>A failed result carrying <paramref name="errors"/> (at least one).</summary>
    public static new SecurityResult<T> Failed(IEnumerable<SecurityError> errors) => new(default, RequireErrors(errors), null);

    /// <summary>A failed result caused by a lockout that lasts until <paramref name="until"/>.</summary>
    public static new SecurityResult<T> LockedOut(SecurityError error, DateTimeOffset until) => new(default, [error], until);

    /// <summary>Carries the failure of <paramref name="failed"/> over to a result of this type.</summary>
    public static SecurityResult<T> From(SecurityResult failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        if (failed.Succeeded)
        {
            throw new ArgumentException("Only a failed result can be carried over.", nameof(failed));
        }

        return new(default, failed.Errors, failed.LockedOutUntil);
    }
}
