using System.Diagnostics;
using System.Reflection;
using AccountSecurity.Lockout;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using AccountSecurity.Verification;

namespace AccountSecurity.Diagnostics;

/// <summary>
/// The library's tracing source: an <see cref="ActivitySource"/> named <see cref="Name"/> with a span per flow step
/// (password sign-in, second factor, two-factor setup, password change and reset, support PIN verification, the
/// per-request session check), per
/// factor check, per store read-modify-write (with its conflicts) and per bcrypt wait and computation, so a host's
/// OpenTelemetry (<c>AddSource(AccountSecurityActivitySource.Name)</c>) sees where a sign-in spends its time.
/// </summary>
/// <remarks>
/// <para>Spans are tagged with stable outcome codes (the library's result codes, snake_case) and the factor, and
/// nothing else: never a user id, contract id, e-mail address, agent id, ticket, code, password, PIN, secret, token or
/// hash, so a trace backend holds nothing the host did not put there itself. A span's status is
/// <see cref="ActivityStatusCode.Error"/> only when the step ended in an exception (with <c>error.type</c>, the
/// exception's type name; never its message); a wrong password or a lockout is an outcome, not an error.</para>
/// <para>Nothing is created while no listener samples the source: tracing costs nothing until a host subscribes.</para>
/// </remarks>
public static class AccountSecurityActivitySource
{
    /// <summary>The <see cref="ActivitySource"/>'s name, <c>AccountSecurity</c>: what a host passes to <c>AddSource</c>.</summary>
    public const string Name = "AccountSecurity";

    /// <summary>The source's version: the package version (without build metadata), never an identifier of the host.</summary>
    public static string Version { get; } = PackageVersion();

    /// <summary>The process's one source. Internal: the library alone starts spans on it, through <see cref="Start"/>.</summary>
    internal static ActivitySource Source { get; } = new(Name, Version);

    /// <summary>
    /// Starts the span <paramref name="spanName"/> (one of <see cref="SpanNames"/>) as a child of the current activity,
    /// or nothing (a span with no activity) when no listener wants it.
    /// </summary>
    internal static TraceSpan Start(string spanName) => new(Source.StartActivity(spanName, ActivityKind.Internal));

    private static string PackageVersion()
    {
        var assembly = typeof(AccountSecurityActivitySource).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";

        // "1.2.3+commit": the commit is no secret, but the package version is what a trace backend should group by.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}

/// <summary>Every span name of <see cref="AccountSecurityActivitySource"/>, in one place, so naming stays consistent.</summary>
internal static class SpanNames
{
    public const string SignInPassword = "accountsecurity.sign_in.password";
    public const string SignInSecondFactor = "accountsecurity.sign_in.second_factor";
    public const string SignInRecoveryCode = "accountsecurity.sign_in.recovery_code";
    public const string SignInSetupBegin = "accountsecurity.sign_in.two_factor_setup.begin";
    public const string SignInSetupComplete = "accountsecurity.sign_in.two_factor_setup.complete";
    public const string SignInPasskey = "accountsecurity.sign_in.passkey";
    public const string SignInPasswordless = "accountsecurity.sign_in.passwordless";
    public const string SignInPasskeySetup = "accountsecurity.sign_in.passkey_setup";
    public const string SessionValidate = "accountsecurity.session.validate";
    public const string TwoFactorSetupBegin = "accountsecurity.two_factor.setup.begin";
    public const string TwoFactorSetupConfirm = "accountsecurity.two_factor.setup.confirm";
    public const string TwoFactorDisable = "accountsecurity.two_factor.disable";
    public const string TwoFactorRecoveryCodesRegenerate = "accountsecurity.two_factor.recovery_codes.regenerate";
    public const string PasswordChange = "accountsecurity.password.change";
    public const string Reauthenticate = "accountsecurity.reauthenticate";
    public const string PasswordResetRequest = "accountsecurity.password.reset.request";
    public const string PasswordResetIssue = "accountsecurity.password.reset.issue";
    public const string PasswordReset = "accountsecurity.password.reset";
    public const string SupportPinVerify = "accountsecurity.support_pin.verify";
    public const string FactorVerify = "accountsecurity.factor.verify";
    public const string StoreUpdate = "accountsecurity.store.update";
    public const string HashingWait = "accountsecurity.hashing.wait";
    public const string HashingCompute = "accountsecurity.hashing.compute";
}

/// <summary>Every tag and event name of <see cref="AccountSecurityActivitySource"/>. Values are bounded codes, never identifiers or secrets.</summary>
internal static class SpanTags
{
    /// <summary>The step's outcome: a stable result code of the library (<c>succeeded</c>, <c>invalid_credentials</c>, <c>wrong</c>, …).</summary>
    public const string Outcome = "accountsecurity.outcome";

    /// <summary>The factor a factor check counted: <c>password</c>, <c>second_factor</c> or <c>support_pin</c>.</summary>
    public const string Factor = "accountsecurity.factor";

    /// <summary>Whether the factor is locked after the check (locked before it, or locked by this failure).</summary>
    public const string Locked = "accountsecurity.factor.locked";

    /// <summary>The record type a read-modify-write updated (<c>user</c> or <c>contract</c>).</summary>
    public const string StoreRecord = "accountsecurity.store.record";

    /// <summary>How many writes a read-modify-write attempted (1 when the first landed).</summary>
    public const string StoreAttempts = "accountsecurity.store.attempts";

    /// <summary>An event on a store span: a write conflicted and the state is read again.</summary>
    public const string StoreConflictEvent = "accountsecurity.store.conflict";

    /// <summary>The attempt that conflicted, on <see cref="StoreConflictEvent"/>.</summary>
    public const string StoreAttempt = "accountsecurity.store.attempt";

    /// <summary>OpenTelemetry's error type: the exception's type name when a step ended in one (never its message).</summary>
    public const string ErrorType = "error.type";
}

/// <summary>
/// One started span, or none (no listener): the one way the library tags and ends its spans. Disposing ends it; a span
/// disposed without an outcome ended in an exception (the step never answered), so it is marked as an error unless
/// <see cref="Threw"/> already said which.
/// </summary>
internal readonly struct TraceSpan : IDisposable
{
    private readonly Activity? _activity;

    public TraceSpan(Activity? activity) => _activity = activity;

    /// <summary>Records <paramref name="outcome"/> (a stable code) and returns <paramref name="result"/> unchanged.</summary>
    public T Outcome<T>(T result, string outcome)
    {
        _activity?.SetTag(SpanTags.Outcome, outcome);
        return result;
    }

    /// <summary>Records the outcome of a sign-in step: its error code, or its status in snake_case.</summary>
    public SignInResult Outcome(SignInResult result)
    {
        if (_activity is not null)
        {
            _activity.SetTag(SpanTags.Outcome, result.ErrorCode ?? TraceCodes.Of(result.Status));
        }

        return result;
    }

    /// <summary>Records the outcome of an operation: <c>succeeded</c>, or its first error's code.</summary>
    public TResult Outcome<TResult>(TResult result)
        where TResult : SecurityResult
    {
        if (_activity is not null)
        {
            _activity.SetTag(SpanTags.Outcome, result.Succeeded ? TraceCodes.Succeeded : result.Errors[0].Code);
        }

        return result;
    }

    /// <summary>Records the outcome of a support PIN verification: its stable code.</summary>
    public SupportPinVerificationResult Outcome(SupportPinVerificationResult result)
    {
        _activity?.SetTag(SpanTags.Outcome, result.ErrorCode ?? SupportPinOutcomeCodes.Verified);
        return result;
    }

    /// <summary>Records the outcome of a factor check, the factor's lock, and returns it.</summary>
    public FactorCheck Outcome(FactorCheck check)
    {
        if (_activity is not null)
        {
            _activity.SetTag(SpanTags.Outcome, TraceCodes.Of(check.Status));
            _activity.SetTag(SpanTags.Locked, check.IsLocked);
        }

        return check;
    }

    /// <summary>Sets a bounded tag (a code or a count; never an identifier or a secret).</summary>
    public void Tag(string name, object? value) => _activity?.SetTag(name, value);

    /// <summary>Adds an event with one bounded tag.</summary>
    public void Event(string name, string tag, object? value)
    {
        if (_activity is not null)
        {
            _activity.AddEvent(new ActivityEvent(name, tags: new ActivityTagsCollection { [tag] = value }));
        }
    }

    /// <summary>
    /// For an exception filter (<c>catch (Exception e) when (span.Threw(e))</c>): marks the span as an error with the
    /// exception's type, never its message (which may quote input), and returns <see langword="false"/> so nothing is caught.
    /// </summary>
    public bool Threw(Exception exception)
    {
        if (_activity is not null)
        {
            _activity.SetTag(SpanTags.ErrorType, exception.GetType().FullName);
            _activity.SetStatus(ActivityStatusCode.Error);
        }

        return false;
    }

    public void Dispose()
    {
        if (_activity is null)
        {
            return;
        }

        if (_activity.Status == ActivityStatusCode.Unset && _activity.GetTagItem(SpanTags.Outcome) is null)
        {
            // No outcome: the step left by an exception (a store failure, a cancellation, a caller bug).
            _activity.SetTag(SpanTags.ErrorType, "_OTHER");
            _activity.SetStatus(ActivityStatusCode.Error);
        }

        _activity.Dispose();
    }
}

/// <summary>The snake_case codes of the library's enums, for tags (the same spelling as its result codes).</summary>
internal static class TraceCodes
{
    public const string Succeeded = "succeeded";

    public static string Of(SignInStatus status) => status switch
    {
        SignInStatus.Succeeded => Succeeded,
        SignInStatus.SecondFactorRequired => "second_factor_required",
        SignInStatus.TwoFactorSetupRequired => "two_factor_setup_required",
        SignInStatus.LockedOut => SecurityErrorCodes.LockedOut,
        SignInStatus.Failed => "failed",
        SignInStatus.Busy => SecurityErrorCodes.Busy,
        _ => "unknown",
    };

    public static string Of(FactorStatus status) => status switch
    {
        FactorStatus.Verified => "verified",
        FactorStatus.Wrong => "wrong",
        FactorStatus.Replayed => "replayed",
        FactorStatus.LockedOut => SecurityErrorCodes.LockedOut,
        FactorStatus.Unavailable => "unavailable",
        FactorStatus.Busy => SecurityErrorCodes.ConcurrencyConflict,
        FactorStatus.NotFound => SecurityErrorCodes.NotFound,
        FactorStatus.Overloaded => SecurityErrorCodes.Busy,
        _ => "unknown",
    };

    public static string Of(AuthenticationFactor factor) => factor switch
    {
        AuthenticationFactor.Password => "password",
        AuthenticationFactor.SecondFactor => "second_factor",
        AuthenticationFactor.SupportPin => "support_pin",
        _ => "unknown",
    };
}
