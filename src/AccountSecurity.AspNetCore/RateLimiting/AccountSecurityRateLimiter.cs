using System.Threading.RateLimiting;
using AccountSecurity.AspNetCore.DependencyInjection;
using AccountSecurity.AspNetCore.Diagnostics;
using AccountSecurity.AspNetCore.SignIn;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AccountSecurity.AspNetCore.RateLimiting;

/// <summary>The operations with abuse limits.</summary>
public enum AbuseOperation
{
    /// <summary>A sign-in step (password, second factor, recovery code, forced setup).</summary>
    SignIn = 0,

    /// <summary>A password reset request or completion.</summary>
    PasswordReset = 1,

    /// <summary>A support PIN verification.</summary>
    SupportPinVerification = 2,

    /// <summary>An invitation, a self-registration or the acceptance of either.</summary>
    UserCreation = 3,
}

/// <summary>Whether an attempt may go ahead, and if not, when to retry.</summary>
/// <param name="IsAllowed">Whether the attempt is within the limits.</param>
/// <param name="RetryAfter">When refused, how long until the window resets (for a <c>Retry-After</c> header).</param>
public readonly record struct AbuseLimitDecision(bool IsAllowed, TimeSpan? RetryAfter);

/// <summary>
/// Abuse limits per client address and per account, on the platform's partitioned fixed-window limiters
/// (<see cref="PartitionedRateLimiter"/>). The JSON endpoints use it; a host's own sign-in pages can too. Partition keys
/// stay in memory only and are never logged. Behind a proxy, configure the forwarded-headers middleware first, so the
/// client address is the caller's, not the proxy's.
/// </summary>
public sealed class AccountSecurityRateLimiter : IDisposable
{
    private readonly bool _enabled;
    private readonly Dictionary<AbuseOperation, (PartitionedRateLimiter<string> PerClient, PartitionedRateLimiter<string> PerAccount)> _limiters;
    private readonly ILogger _logger;

    /// <summary>Creates the limiters from the options.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public AccountSecurityRateLimiter(IOptions<AccountSecurityAspNetCoreOptions> options, ILogger<AccountSecurityRateLimiter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value.RateLimits;
        _enabled = limits.Enabled;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _limiters = new()
        {
            [AbuseOperation.SignIn] = (Create(limits.SignInPerClient), Create(limits.SignInPerAccount)),
            [AbuseOperation.PasswordReset] = (Create(limits.PasswordResetPerClient), Create(limits.PasswordResetPerAccount)),
            [AbuseOperation.SupportPinVerification] = (Create(limits.SupportPinPerClient), Create(limits.SupportPinPerAccount)),
            [AbuseOperation.UserCreation] = (Create(limits.UserCreationPerClient), Create(limits.UserCreationPerAccount)),
        };
    }

    /// <summary>
    /// Counts an attempt of <paramref name="operation"/> against the client address of <paramref name="context"/> and,
    /// when given, against <paramref name="account"/> (an e-mail or user id, compared case-insensitively). Refused when
    /// either limit is reached; the account limit is not charged for an attempt the client limit already refused.
    /// A sign-in from a browser whose device cookie holds a token for <paramref name="account"/> (it signed in to it
    /// before) is counted in that device's own account partition: strangers who exhaust the account's limit never
    /// exhaust the owner's. Never throws for any account text.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public AbuseLimitDecision TryAcquire(AbuseOperation operation, HttpContext context, string? account = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_enabled || !_limiters.TryGetValue(operation, out var pair))
        {
            return new AbuseLimitDecision(true, null);
        }

        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var decision = Acquire(pair.PerClient, client);
        if (!decision.IsAllowed)
        {
            Log.RateLimited(_logger, operation, "client");
            return decision;
        }

        if (!string.IsNullOrWhiteSpace(account))
        {
            var key = DeviceCookie.AccountKey(account);
            if (operation == AbuseOperation.SignIn
                && context.RequestServices?.GetService(typeof(DeviceCookie)) is DeviceCookie devices
                && devices.TokenFor(context, account) is { } token
                && AccountSecurity.Lockout.TrustedDevices.IdOf(token) is { } deviceId)
            {
                // The cookie is ours (it unprotected) and was issued for this account: its own partition.
                key = "device:" + deviceId + ":" + key;
            }

            decision = Acquire(pair.PerAccount, key);
            if (!decision.IsAllowed)
            {
                Log.RateLimited(_logger, operation, "account");
            }
        }

        return decision;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (perClient, perAccount) in _limiters.Values)
        {
            perClient.Dispose();
            perAccount.Dispose();
        }
    }

    private static AbuseLimitDecision Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return new AbuseLimitDecision(true, null);
        }

        return new AbuseLimitDecision(false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
    }

    private static PartitionedRateLimiter<string> Create(AbuseLimit limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
}
